/// One entry of PutMetricData (or of an EMF line): values with counts, or a statistic set, at a time.
public struct MetricDatum: Sendable {
    public struct StatisticSet: Sendable {
        public var sampleCount: Double
        public var sum: Double
        public var minimum: Double
        public var maximum: Double

        public init(sampleCount: Double, sum: Double, minimum: Double, maximum: Double) {
            self.sampleCount = sampleCount
            self.sum = sum
            self.minimum = minimum
            self.maximum = maximum
        }
    }

    public var identity: MetricIdentity
    /// (value, count) pairs.
    public var values: [(value: Double, count: Double)]
    public var statisticSet: StatisticSet?
    public var unit: String
    /// Milliseconds since 1970.
    public var timestampMs: Int64
    public var highResolution: Bool

    public init(identity: MetricIdentity, values: [(value: Double, count: Double)], statisticSet: StatisticSet? = nil, unit: String,
                timestampMs: Int64, highResolution: Bool) {
        self.identity = identity
        self.values = values
        self.statisticSet = statisticSet
        self.unit = unit
        self.timestampMs = timestampMs
        self.highResolution = highResolution
    }
}

extension MetricsDirectory {
    /// Records validated data (PutMetricData after its checks, EMF lines).
    public func publish(_ data: [MetricDatum]) {
        for datum in data {
            if let set = datum.statisticSet {
                recorder.record(statisticSet: datum.identity, sampleCount: set.sampleCount, sum: set.sum, minimum: set.minimum,
                                maximum: set.maximum, unit: datum.unit, timestampMs: datum.timestampMs, highResolution: datum.highResolution)
            }
            if !datum.values.isEmpty {
                recorder.record(datum.values.map { MetricRecorder.Sample(identity: datum.identity, value: $0.value, count: $0.count, unit: datum.unit) },
                                timestampMs: datum.timestampMs, highResolution: datum.highResolution)
            }
        }
    }
}
