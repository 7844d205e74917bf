/// One series of statistics over time: what GetMetricStatistics and each GetMetricData query compute.
public struct MetricQuery: Sendable {
    public var identity: MetricIdentity
    public var period: Int
    public var unit: String?

    public init(identity: MetricIdentity, period: Int, unit: String?) {
        self.identity = identity
        self.period = period
        self.unit = unit
    }
}

/// The aggregate of one period of a query, with its start (epoch seconds) and the units it held.
public struct PeriodAggregate: Sendable {
    public var start: Int64
    public var aggregate: MetricAggregate
    public var units: Set<String>
}
