import CloudWatchMetrics
import Foundation

// Inputs and outputs of the alarm operations (`MetricAlarm` itself is the domain's stored document).

public struct Tag: Codable, Sendable {
    public var Key: String
    public var Value: String
}

public struct PutMetricAlarmInput: Codable, Sendable {
    public var AlarmName: String
    public var AlarmDescription: String?
    public var ActionsEnabled: Bool?
    public var OKActions: [String]?
    public var AlarmActions: [String]?
    public var InsufficientDataActions: [String]?
    public var MetricName: String?
    public var Namespace: String?
    public var Statistic: String?
    public var ExtendedStatistic: String?
    public var Dimensions: [Dimension]?
    public var Period: Int?
    public var Unit: String?
    public var EvaluationPeriods: Int
    public var DatapointsToAlarm: Int?
    public var Threshold: Double?
    public var ComparisonOperator: String
    public var TreatMissingData: String?
    public var EvaluateLowSampleCountPercentile: String?
    public var Metrics: [MetricDataQuery]?
    public var Tags: [Tag]?
    public var ThresholdMetricId: String?
}

public struct DescribeAlarmsInput: Codable, Sendable {
    public var AlarmNames: [String]?
    public var AlarmNamePrefix: String?
    public var AlarmTypes: [String]?
    public var ChildrenOfAlarmName: String?
    public var ParentsOfAlarmName: String?
    public var StateValue: String?
    public var ActionPrefix: String?
    public var MaxRecords: Int?
    public var NextToken: String?
}

public struct PutCompositeAlarmInput: Codable, Sendable {
    public var AlarmName: String
    public var AlarmRule: String
    public var AlarmDescription: String?
    public var ActionsEnabled: Bool?
    public var OKActions: [String]?
    public var AlarmActions: [String]?
    public var InsufficientDataActions: [String]?
    public var ActionsSuppressor: String?
    public var ActionsSuppressorWaitPeriod: Int?
    public var ActionsSuppressorExtensionPeriod: Int?
    public var Tags: [Tag]?
}

public struct DescribeAlarmsOutput: Codable, Sendable {
    public var MetricAlarms: [MetricAlarm]
    public var CompositeAlarms: [CompositeAlarm]
    public var NextToken: String?
}

public struct DescribeAlarmsForMetricInput: Codable, Sendable {
    public var MetricName: String
    public var Namespace: String
    public var Statistic: String?
    public var ExtendedStatistic: String?
    public var Dimensions: [Dimension]?
    public var Period: Int?
    public var Unit: String?
}

public struct DescribeAlarmsForMetricOutput: Codable, Sendable {
    public var MetricAlarms: [MetricAlarm]
}

public struct AlarmNamesInput: Codable, Sendable {
    public var AlarmNames: [String]
}

public struct SetAlarmStateInput: Codable, Sendable {
    public var AlarmName: String
    public var StateValue: String
    public var StateReason: String
    public var StateReasonData: String?
}

public struct DescribeAlarmHistoryInput: Codable, Sendable {
    public var AlarmName: String?
    public var AlarmTypes: [String]?
    public var HistoryItemType: String?
    public var StartDate: Date?
    public var EndDate: Date?
    public var MaxRecords: Int?
    public var NextToken: String?
    public var ScanBy: String?
}

public struct AlarmHistoryItemShape: Codable, Sendable {
    public var AlarmName: String
    public var AlarmType: String
    public var Timestamp: Date
    public var HistoryItemType: String
    public var HistorySummary: String
    public var HistoryData: String
}

public struct DescribeAlarmHistoryOutput: Codable, Sendable {
    public var AlarmHistoryItems: [AlarmHistoryItemShape]
    public var NextToken: String?
}

public struct TagResourceInput: Codable, Sendable {
    public var ResourceARN: String
    public var Tags: [Tag]
}

public struct UntagResourceInput: Codable, Sendable {
    public var ResourceARN: String
    public var TagKeys: [String]
}

public struct ListTagsForResourceInput: Codable, Sendable {
    public var ResourceARN: String
}

public struct ListTagsForResourceOutput: Codable, Sendable {
    public var Tags: [Tag]
}
