import Foundation

// The CloudWatch shapes of metrics, named and spelled as the service model names them.

public struct Dimension: Codable, Sendable, Equatable {
    public var Name: String
    public var Value: String
}

public struct DimensionFilter: Codable, Sendable {
    public var Name: String
    public var Value: String?
}

public struct Metric: Codable, Sendable {
    public var Namespace: String?
    public var MetricName: String?
    public var Dimensions: [Dimension]?
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

public struct MetricStat: Codable, Sendable {
    public var Metric: Metric
    public var Period: Int
    public var Stat: String
    public var Unit: String?
}

public struct MetricDataQuery: Codable, Sendable {
    public var Id: String
    public var MetricStat: MetricStat?
    public var Expression: String?
    public var Label: String?
    public var ReturnData: Bool?
    public var Period: Int?
    public var AccountId: String?
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
