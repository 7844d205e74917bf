import Foundation

/// A metric alarm as CloudWatch describes it (member names as the service model spells them, so the stored
/// document is also the answer): a statistic of one metric compared with a threshold over evaluation periods, a
/// state, and the actions taken when the state changes.
public struct MetricAlarm: Codable, Sendable, Equatable {
    public struct Dimension: Codable, Sendable, Equatable {
        public var Name: String
        public var Value: String
        public init(Name: String, Value: String) { self.Name = Name; self.Value = Value }
    }

    public var AlarmName: String
    public var AlarmArn: String
    public var AlarmDescription: String?
    public var AlarmConfigurationUpdatedTimestamp: Date
    public var ActionsEnabled: Bool
    public var OKActions: [String]
    public var AlarmActions: [String]
    public var InsufficientDataActions: [String]
    public var StateValue: String
    public var StateReason: String
    public var StateReasonData: String?
    public var StateUpdatedTimestamp: Date
    public var StateTransitionedTimestamp: Date
    public var MetricName: String
    public var Namespace: String
    public var Statistic: String?
    public var ExtendedStatistic: String?
    public var Dimensions: [Dimension]
    public var Period: Int
    public var Unit: String?
    public var EvaluationPeriods: Int
    public var DatapointsToAlarm: Int?
    public var Threshold: Double
    public var ComparisonOperator: String
    public var TreatMissingData: String?
    public var EvaluateLowSampleCountPercentile: String?

    public static let states = ["OK", "ALARM", "INSUFFICIENT_DATA"]
    public static let operators = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"]
    public static let missingDataTreatments = ["breaching", "notBreaching", "ignore", "missing"]

    public var identity: MetricIdentity {
        MetricIdentity(namespace: Namespace, name: MetricName, dimensions: Dimensions.map { MetricDimension(name: $0.Name, value: $0.Value) })
    }

    public var statistic: MetricStatistic? {
        if let s = Statistic { return MetricStatistic(basic: s) }
        return ExtendedStatistic.flatMap(MetricStatistic.init(percentile:))
    }

    /// The actions of a state.
    public func actions(for state: String) -> [String] {
        switch state {
        case "OK": OKActions
        case "ALARM": AlarmActions
        default: InsufficientDataActions
        }
    }

    /// Whether `value` is on the alarming side of the threshold.
    public func breaches(_ value: Double) -> Bool {
        switch ComparisonOperator {
        case "GreaterThanOrEqualToThreshold": value >= Threshold
        case "GreaterThanThreshold": value > Threshold
        case "LessThanThreshold": value < Threshold
        default: value <= Threshold
        }
    }
}
