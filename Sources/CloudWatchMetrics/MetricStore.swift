/// One stored aggregate: a metric's values of one period (`resolution` seconds from `start`, epoch seconds) in
/// one unit.
public struct MetricPoint: Sendable, Equatable {
    public var identity: MetricIdentity
    public var resolution: Int
    public var start: Int64
    public var unit: String
    public var aggregate: MetricAggregate

    public init(identity: MetricIdentity, resolution: Int, start: Int64, unit: String, aggregate: MetricAggregate) {
        self.identity = identity
        self.resolution = resolution
        self.start = start
        self.unit = unit
        self.aggregate = aggregate
    }
}

/// A metric the store knows, and the start of its latest point (epoch seconds).
public struct StoredMetric: Sendable, Equatable {
    public var identity: MetricIdentity
    public var lastPoint: Int64

    public init(identity: MetricIdentity, lastPoint: Int64) {
        self.identity = identity
        self.lastPoint = lastPoint
    }
}

/// Persistence of metrics: series and their aggregates at each resolution.
public protocol MetricStore: Sendable {
    /// Adds the points to what is stored for the same metric, resolution, start and unit (one transaction).
    func mergeMetricPoints(_ points: [MetricPoint]) async throws
    /// Metrics of `namespace` (nil: any) named `name` (nil: any) with a point at or after `activeSince`.
    func storedMetrics(namespace: String?, name: String?, activeSince: Int64) async throws -> [StoredMetric]
    /// The points of one metric at `resolution` starting in [from, to), of `unit` when given; their percentile
    /// sketches only when `sketches` (reading them is most of the cost of a long query).
    func metricPoints(of identity: MetricIdentity, resolution: Int, from: Int64, to: Int64, unit: String?,
                      sketches: Bool) async throws -> [MetricPoint]
    /// Deletes points of `resolution` that start before `before`; returns how many.
    func deleteMetricPoints(resolution: Int, before: Int64) async throws -> Int
}
