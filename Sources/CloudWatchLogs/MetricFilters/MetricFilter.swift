/// A metric filter as DescribeMetricFilters returns it (member names as the service model spells them): events of a
/// log group that match `filterPattern` become values of a CloudWatch metric.
public struct MetricFilter: Codable, Sendable, Equatable {
    public var filterName: String
    public var filterPattern: String
    public var metricTransformations: [MetricTransformation]
    public var creationTime: Int64
    public var logGroupName: String
    public var applyOnTransformedLogs: Bool?

    public init(filterName: String, filterPattern: String, metricTransformations: [MetricTransformation], creationTime: Int64,
                logGroupName: String) {
        self.filterName = filterName
        self.filterPattern = filterPattern
        self.metricTransformations = metricTransformations
        self.creationTime = creationTime
        self.logGroupName = logGroupName
        self.applyOnTransformedLogs = false
    }
}

/// What a matching event publishes: the value (`1`, a number, `$.field` of a JSON event or `$name` of a
/// space-delimited one), or `defaultValue` for events that do not match; dimensions from the event's fields.
public struct MetricTransformation: Codable, Sendable, Equatable {
    public var metricName: String
    public var metricNamespace: String
    public var metricValue: String
    public var defaultValue: Double?
    public var dimensions: [String: String]?
    public var unit: String?
}

/// A value a metric filter extracted, for the metrics recorder.
public struct ExtractedMetric: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var value: Double
    public var unit: String
    public var dimensions: [String: String]
    public var timestampMs: Int64
}
