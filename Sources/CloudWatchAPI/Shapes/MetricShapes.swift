import CloudWatchMetrics
import Foundation

// The CloudWatch shapes of metrics, named and spelled as the service model names them (`Dimension`, `Metric`,
// `MetricStat` and `MetricDataQuery` are the domain's: alarms store them).

/// Foundation has a `Dimension` too (units of measure): this module means CloudWatch's.
public typealias Dimension = CloudWatchMetrics.Dimension

public struct DimensionFilter: Codable, Sendable {
    public var Name: String
    public var Value: String?
}

public struct StatisticSet: Codable, Sendable {
    public var SampleCount: Double
    public var Sum: Double
    public var Minimum: Double
    public var Maximum: Double
}

public struct MetricDatum: Codable, Sendable {
    public var MetricName: String
    public var Dimensions: [Dimension]?
    public var Timestamp: Date?
    public var Value: Double?
    public var StatisticValues: StatisticSet?
    public var Values: [Double]?
    public var Counts: [Double]?
    public var Unit: String?
    public var StorageResolution: Int?
}

public struct Datapoint: Codable, Sendable {
    public var Timestamp: Date
    public var SampleCount: Double?
    public var Average: Double?
    public var Sum: Double?
    public var Minimum: Double?
    public var Maximum: Double?
    public var Unit: String?
    public var ExtendedStatistics: [String: Double]?
}

public struct MessageData: Codable, Sendable {
    public var Code: String?
    public var Value: String?
}

public struct MetricDataResult: Codable, Sendable {
    public var Id: String
    public var Label: String
    public var Timestamps: [Date]
    public var Values: [Double]
    public var StatusCode: String
    public var Messages: [MessageData]?
}

public struct LabelOptions: Codable, Sendable {
    public var Timezone: String?
}
