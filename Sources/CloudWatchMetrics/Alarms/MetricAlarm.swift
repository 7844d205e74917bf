import Foundation

/// A metric alarm as CloudWatch describes it (member names as the service model spells them, so the stored
/// document is also the answer): a statistic of one metric compared with a threshold over evaluation periods, a
/// state, and the actions taken when the state changes.
public struct MetricAlarm: AlarmRecord, Codable, Sendable, Equatable {
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
    /// Nil for an alarm on metric math (`Metrics`).
    public var MetricName: String?
    public var Namespace: String?
    public var Statistic: String?
    public var ExtendedStatistic: String?
    public var Dimensions: [Dimension]
    /// Nil for an alarm on metric math: its queries' periods apply.
    public var Period: Int?
    public var Unit: String?
    public var EvaluationPeriods: Int
    public var DatapointsToAlarm: Int?
    public var Threshold: Double
    public var ComparisonOperator: String
    public var TreatMissingData: String?
    public var EvaluateLowSampleCountPercentile: String?
    /// The metric data queries of an alarm on metric math; exactly one returns data.
    public var Metrics: [MetricDataQuery]?

    public static let states = ["OK", "ALARM", "INSUFFICIENT_DATA"]
    public static let operators = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"]
    public static let missingDataTreatments = ["breaching", "notBreaching", "ignore", "missing"]

    /// The one metric of an alarm that is not on metric math.
    public var identity: MetricIdentity? {
        guard let Namespace, let MetricName else { return nil }
        return MetricIdentity(namespace: Namespace, name: MetricName, dimensions: Dimensions.map { MetricDimension(name: $0.Name, value: $0.Value) })
    }

    /// The seconds each evaluated datapoint covers: `Period`, or that of the alarm's metric queries.
    public var evaluationPeriod: Int {
        Period ?? Metrics.map(Self.evaluationPeriod(of:)) ?? 60
    }

    /// The returned query's own period when it has one, else the shortest of the metric queries'.
    public static func evaluationPeriod(of queries: [MetricDataQuery]) -> Int {
        if let returned = queries.first(where: { $0.ReturnData ?? true }), let p = returned.MetricStat?.Period ?? returned.Period { return p }
        return queries.compactMap { $0.MetricStat?.Period ?? $0.Period }.min() ?? 60
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
