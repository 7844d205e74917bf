/// One series of statistics over time: what GetMetricStatistics and each GetMetricData query compute.
public struct MetricQuery: Sendable {
    public var identity: MetricIdentity
    public var period: Int
    public var unit: String?
    /// Whether percentiles are asked for (the sketches are read only then).
    public var percentiles: Bool

    public init(identity: MetricIdentity, period: Int, unit: String?, percentiles: Bool = true) {
        self.identity = identity
        self.period = period
        self.unit = unit
        self.percentiles = percentiles
    }
}

/// The aggregate of one period of a query, with its start (epoch seconds) and its unit (nil when it held several).
public struct PeriodAggregate: Sendable {
    public var start: Int64
    public var aggregate: MetricAggregate
    public var unit: String?
}
