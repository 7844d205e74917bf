import CloudWatchMetrics
import Foundation

// Inputs and outputs of the metric operations.

public struct PutMetricDataInput: Codable, Sendable {
    public var Namespace: String
    public var MetricData: [MetricDatum]?
}

public struct GetMetricStatisticsInput: Codable, Sendable {
    public var Namespace: String
    public var MetricName: String
    public var Dimensions: [Dimension]?
    public var StartTime: Date
    public var EndTime: Date
    public var Period: Int
    public var Statistics: [String]?
    public var ExtendedStatistics: [String]?
    public var Unit: String?
}

public struct GetMetricStatisticsOutput: Codable, Sendable {
    public var Label: String?
    public var Datapoints: [Datapoint]
}

public struct GetMetricDataInput: Codable, Sendable {
    public var MetricDataQueries: [MetricDataQuery]
    public var StartTime: Date
    public var EndTime: Date
    public var NextToken: String?
    public var ScanBy: String?
    public var MaxDatapoints: Int?
    public var LabelOptions: LabelOptions?
}

public struct GetMetricDataOutput: Codable, Sendable {
    public var MetricDataResults: [MetricDataResult]
    public var NextToken: String?
    public var Messages: [MessageData]
}

public struct ListMetricsInput: Codable, Sendable {
    public var Namespace: String?
    public var MetricName: String?
    public var Dimensions: [DimensionFilter]?
    public var NextToken: String?
    public var RecentlyActive: String?
    public var IncludeLinkedAccounts: Bool?
    public var OwningAccount: String?
}

public struct ListMetricsOutput: Codable, Sendable {
    public var Metrics: [Metric]
    public var NextToken: String?
}

public struct EmptyOutput: Codable, Sendable {}
