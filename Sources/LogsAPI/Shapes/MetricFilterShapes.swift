import CloudWatchLogs

// Metric filters' requests and responses (`MetricFilter` and `MetricTransformation` are the domain's shapes).

struct PutMetricFilterRequest: Decodable {
    var logGroupName: String
    var filterName: String
    var filterPattern: String
    var metricTransformations: [MetricTransformation]
}

struct DeleteMetricFilterRequest: Decodable {
    var logGroupName: String
    var filterName: String
}

struct DescribeMetricFiltersRequest: Decodable {
    var logGroupName: String?
    var filterNamePrefix: String?
    var metricName: String?
    var metricNamespace: String?
    var limit: Int?
    var nextToken: String?
}

struct DescribeMetricFiltersResponse: Encodable {
    var metricFilters: [MetricFilter]
    var nextToken: String?
}

struct TestMetricFilterRequest: Decodable {
    var filterPattern: String
    var logEventMessages: [String]
}

struct MetricFilterMatchRecord: Encodable {
    var eventNumber: Int
    var eventMessage: String
    var extractedValues: [String: String]
}

struct TestMetricFilterResponse: Encodable {
    var matches: [MetricFilterMatchRecord]
}
