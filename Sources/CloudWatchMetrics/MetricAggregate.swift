/// What CloudWatch keeps of the values of one metric in one period: count, sum, minimum, maximum, and a sketch
/// of their distribution for percentiles (empty when only statistic sets were published).
public struct MetricAggregate: Sendable, Equatable {
    public var sampleCount: Double = 0
    public var sum: Double = 0
    public var minimum: Double = .infinity
    public var maximum: Double = -.infinity
    public var sketch = ValueSketch()
    /// A statistic set went in: its values are unknown, so percentiles are unavailable.
    public var hasStatisticSets = false

    public init() {}

    public init(sampleCount: Double, sum: Double, minimum: Double, maximum: Double, sketch: ValueSketch, hasStatisticSets: Bool) {
        self.sampleCount = sampleCount
        self.sum = sum
        self.minimum = minimum
        self.maximum = maximum
        self.sketch = sketch
        self.hasStatisticSets = hasStatisticSets
    }

    public var isEmpty: Bool { sampleCount == 0 }

    public mutating func add(_ value: Double, count: Double = 1) {
        guard count > 0 else { return }
        sampleCount += count
        sum += value * count
        minimum = min(minimum, value)
        maximum = max(maximum, value)
        sketch.add(value, count: count)
    }

    /// A pre-aggregated statistic set (PutMetricData's `StatisticValues`).
    public mutating func add(sampleCount count: Double, sum s: Double, minimum lo: Double, maximum hi: Double) {
        guard count > 0 else { return }
        sampleCount += count
        sum += s
        minimum = min(minimum, lo)
        maximum = max(maximum, hi)
        hasStatisticSets = true
    }

    public mutating func merge(_ other: MetricAggregate) {
        guard !other.isEmpty else { return }
        sampleCount += other.sampleCount
        sum += other.sum
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
        sketch.merge(other.sketch)
        hasStatisticSets = hasStatisticSets || other.hasStatisticSets
    }

    /// The value of `statistic`, nil when this period cannot give it (a percentile of statistic sets).
    public func value(of statistic: MetricStatistic) -> Double? {
        guard !isEmpty else { return nil }
        switch statistic {
        case .sampleCount: return sampleCount
        case .sum: return sum
        case .average: return sum / sampleCount
        case .minimum: return minimum
        case .maximum: return maximum
        case .percentile(let p):
            guard !hasStatisticSets else { return nil }
            if p <= 0 { return minimum }
            if p >= 100 { return maximum }
            return sketch.quantile(p / 100, minimum: minimum, maximum: maximum)
        }
    }
}
