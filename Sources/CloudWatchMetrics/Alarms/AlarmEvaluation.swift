/// The decision of one evaluation: CloudWatch's "M out of N" over the last `EvaluationPeriods` periods, with
/// missing periods treated as the alarm says (`missing`/`ignore` keep them out, `breaching`/`notBreaching`
/// count them as such).
public struct AlarmEvaluation: Sendable, Equatable {
    public var state: String
    public var reason: String
    /// The datapoints that decided, newest first (for `StateReasonData`).
    public var recent: [Double]

    /// `values` are the last `EvaluationPeriods` periods, oldest first, nil where the period has no data.
    public static func evaluate(_ alarm: MetricAlarm, values: [Double?]) -> AlarmEvaluation {
        let needed = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods
        let present = values.compactMap { $0 }
        let treatment = alarm.TreatMissingData ?? "missing"
        var breaching = present.filter(alarm.breaches).count
        var counted = present.count
        let missing = values.count - present.count
        switch treatment {
        case "breaching": breaching += missing; counted += missing
        case "notBreaching": counted += missing
        default: break
        }
        let recent = Array(present.reversed())
        let comparison = Self.symbol(alarm.ComparisonOperator)
        let shown = recent.prefix(needed).map { Self.format($0) }.joined(separator: ", ")
        if breaching >= needed {
            return AlarmEvaluation(state: "ALARM", reason: "Threshold Crossed: \(breaching) out of the last \(values.count) datapoints [\(shown)] were \(comparison) the threshold (\(Self.format(alarm.Threshold))) (minimum \(needed) datapoints for OK -> ALARM transition).", recent: recent)
        }
        if counted == 0 {
            if treatment == "ignore" {
                return AlarmEvaluation(state: alarm.StateValue, reason: alarm.StateReason, recent: [])
            }
            return AlarmEvaluation(state: "INSUFFICIENT_DATA", reason: "Insufficient Data: \(values.count) datapoints were unknown.", recent: [])
        }
        return AlarmEvaluation(state: "OK", reason: "Threshold Crossed: \(counted - breaching) out of the last \(values.count) datapoints [\(shown)] were not \(comparison) the threshold (\(Self.format(alarm.Threshold))) (minimum 1 datapoint for ALARM -> OK transition).", recent: recent)
    }

    static func symbol(_ op: String) -> String {
        switch op {
        case "GreaterThanOrEqualToThreshold": "greater than or equal to"
        case "GreaterThanThreshold": "greater than"
        case "LessThanThreshold": "less than"
        default: "less than or equal to"
        }
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(format: "%.1f", v) : String(v)
    }
}
