import Foundation

/// What an alarm sends when its state changes: to an SNS topic the JSON message CloudWatch publishes (with its
/// subject), to a Lambda function the `aws.cloudwatch` alarm event.
public enum AlarmNotification {
    struct SNSMessage: Encodable {
        struct Trigger: Encodable {
            struct Dimension: Encodable { var value: String; var name: String }
            var MetricName: String?
            var Namespace: String?
            var StatisticType: String?
            var Statistic: String?
            var ExtendedStatistic: String?
            var Unit: String?
            var Dimensions: [Dimension]?
            var Period: Int
            var EvaluationPeriods: Int
            var DatapointsToAlarm: Int
            var ComparisonOperator: String
            var Threshold: Double
            var TreatMissingData: String
            var EvaluateLowSampleCountPercentile: String
            /// An alarm on metric math: its queries instead of the metric fields.
            var Metrics: [MetricDataQuery]?
        }
        /// A composite alarm's child that made it change.
        struct Child: Encodable {
            struct State: Encodable { var Value: String; var Timestamp: String }
            var Arn: String
            var State: State
        }
        var AlarmName: String
        var AlarmDescription: String?
        var AWSAccountId: String
        var AlarmConfigurationUpdatedTimestamp: String
        var NewStateValue: String
        var NewStateReason: String
        var StateChangeTime: String
        var Region: String
        var AlarmArn: String
        var OldStateValue: String
        var OKActions: [String]
        var AlarmActions: [String]
        var InsufficientDataActions: [String]
        /// A composite alarm's rule and the children that made it change, instead of a trigger.
        var AlarmRule: String?
        var TriggeringChildren: [Child]?
        var Trigger: Trigger?
    }

    struct LambdaEvent: Encodable {
        struct State: Encodable { var value: String; var reason: String; var reasonData: String?; var timestamp: String }
        struct MetricStat: Encodable {
            struct Metric: Encodable { var namespace: String; var name: String; var dimensions: [String: String] }
            var metric: Metric
            var period: Int
            var stat: String
        }
        struct Query: Encodable {
            var id: String
            var metricStat: MetricStat?
            var expression: String?
            var label: String?
            var returnData: Bool
        }
        struct Configuration: Encodable { var description: String?; var metrics: [Query]?; var alarmRule: String? }
        struct AlarmData: Encodable {
            var alarmName: String
            var state: State
            var previousState: State
            var configuration: Configuration
        }
        var source = "aws.cloudwatch"
        var alarmArn: String
        var accountId: String
        var time: String
        var region: String
        var alarmData: AlarmData
    }

    /// `2026-11-30T12:00:00.000+0000`, as CloudWatch writes times in SNS messages.
    static func snsTime(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        return f.string(from: date)
    }

    static func isoTime(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    /// AWS's display name of a region in alarm messages (the code itself for regions not listed).
    public static func regionName(_ region: String) -> String {
        [
            "us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)", "us-west-1": "US West (N. California)",
            "us-west-2": "US West (Oregon)", "eu-west-1": "EU (Ireland)", "eu-central-1": "EU (Frankfurt)",
            "ap-southeast-1": "Asia Pacific (Singapore)", "ap-northeast-1": "Asia Pacific (Tokyo)",
        ][region] ?? region
    }

    static func encode(_ value: some Encodable) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? e.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The SNS message and subject (`ALARM: "name" in US East (N. Virginia)`).
    public static func snsMessage(_ t: AlarmTransition, accountId: String, region: String) -> (message: String, subject: String) {
        let name: String, description: String?, arn: String, state: String, reason: String, updated: Date, configured: Date
        let ok: [String], alarm: [String], insufficient: [String]
        var rule: String?, children: [SNSMessage.Child]?, trigger: SNSMessage.Trigger?
        switch t.subject {
        case .composite(let c, let triggering):
            (name, description, arn, state, reason) = (c.AlarmName, c.AlarmDescription, c.AlarmArn, c.StateValue, c.StateReason)
            (updated, configured, ok, alarm, insufficient) = (c.StateUpdatedTimestamp, c.AlarmConfigurationUpdatedTimestamp, c.OKActions,
                                                            c.AlarmActions, c.InsufficientDataActions)
            rule = c.AlarmRule
            children = triggering.map { .init(Arn: $0.arn, State: .init(Value: $0.state, Timestamp: snsTime($0.timestamp))) }
        case .metric(let a):
            (name, description, arn, state, reason) = (a.AlarmName, a.AlarmDescription, a.AlarmArn, a.StateValue, a.StateReason)
            (updated, configured, ok, alarm, insufficient) = (a.StateUpdatedTimestamp, a.AlarmConfigurationUpdatedTimestamp, a.OKActions,
                                                            a.AlarmActions, a.InsufficientDataActions)
            trigger = .init(MetricName: a.MetricName, Namespace: a.Namespace,
                            StatisticType: a.Metrics != nil ? nil : a.Statistic != nil ? "Statistic" : "ExtendedStatistic",
                            Statistic: a.Statistic?.uppercased(), ExtendedStatistic: a.ExtendedStatistic, Unit: a.Unit,
                            Dimensions: a.Metrics != nil ? nil : a.Dimensions.map { .init(value: $0.Value, name: $0.Name) }, Period: a.evaluationPeriod,
                            EvaluationPeriods: a.EvaluationPeriods, DatapointsToAlarm: a.DatapointsToAlarm ?? a.EvaluationPeriods,
                            ComparisonOperator: a.ComparisonOperator, Threshold: a.Threshold, TreatMissingData: a.TreatMissingData ?? "missing",
                            EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile ?? "", Metrics: a.Metrics)
        }
        let message = SNSMessage(
            AlarmName: name, AlarmDescription: description, AWSAccountId: accountId, AlarmConfigurationUpdatedTimestamp: snsTime(configured),
            NewStateValue: state, NewStateReason: reason, StateChangeTime: snsTime(updated), Region: regionName(region), AlarmArn: arn,
            OldStateValue: t.oldState, OKActions: ok, AlarmActions: alarm, InsufficientDataActions: insufficient, AlarmRule: rule,
            TriggeringChildren: children, Trigger: trigger)
        let subject = "\(state): \"\(name)\" in \(regionName(region))"
        return (encode(message), String(subject.prefix(100)))
    }

    /// The event a Lambda alarm action receives.
    public static func lambdaEvent(_ t: AlarmTransition, accountId: String, region: String) -> String {
        switch t.subject {
        case .metric(let a):
            let stat = a.Statistic ?? a.ExtendedStatistic ?? ""
            return event(name: a.AlarmName, arn: a.AlarmArn, description: a.AlarmDescription, state: a.StateValue, reason: a.StateReason,
                         reasonData: a.StateReasonData, updated: a.StateUpdatedTimestamp, transitioned: a.StateTransitionedTimestamp,
                         oldState: t.oldState, configuration: .init(description: a.AlarmDescription, metrics: queries(a, stat: stat), alarmRule: nil),
                         accountId: accountId, region: region)
        case .composite(let c, _):
            return event(name: c.AlarmName, arn: c.AlarmArn, description: c.AlarmDescription, state: c.StateValue, reason: c.StateReason,
                         reasonData: c.StateReasonData, updated: c.StateUpdatedTimestamp, transitioned: c.StateTransitionedTimestamp,
                         oldState: t.oldState, configuration: .init(description: c.AlarmDescription, metrics: nil, alarmRule: c.AlarmRule),
                         accountId: accountId, region: region)
        }
    }

    static func event(name: String, arn: String, description: String?, state: String, reason: String, reasonData: String?,
                      updated: Date, transitioned: Date, oldState: String, configuration: LambdaEvent.Configuration,
                      accountId: String, region: String) -> String {
        let event = LambdaEvent(
            alarmArn: arn, accountId: accountId, time: isoTime(updated), region: region,
            alarmData: .init(
                alarmName: name,
                state: .init(value: state, reason: reason, reasonData: reasonData, timestamp: isoTime(updated)),
                previousState: .init(value: oldState, reason: "", reasonData: nil, timestamp: isoTime(transitioned)),
                configuration: configuration))
        return encode(event)
    }

    /// The alarm's queries as the alarm event spells them: its one metric as `m1`, or its metric math queries.
    static func queries(_ a: MetricAlarm, stat: String) -> [LambdaEvent.Query] {
        func metricStat(_ namespace: String, _ name: String, _ dimensions: [Dimension], _ period: Int, _ stat: String) -> LambdaEvent.MetricStat {
            .init(metric: .init(namespace: namespace, name: name, dimensions: Dictionary(dimensions.map { ($0.Name, $0.Value) }, uniquingKeysWith: { $1 })),
                  period: period, stat: stat)
        }
        guard let metrics = a.Metrics else {
            return [.init(id: "m1", metricStat: metricStat(a.Namespace ?? "", a.MetricName ?? "",
                                                           a.Dimensions.map { Dimension(Name: $0.Name, Value: $0.Value) }, a.evaluationPeriod, stat),
                          returnData: true)]
        }
        return metrics.map { q in
            .init(id: q.Id, metricStat: q.MetricStat.map { metricStat($0.Metric.Namespace ?? "", $0.Metric.MetricName ?? "", $0.Metric.Dimensions ?? [], $0.Period, $0.Stat) },
                  expression: q.Expression, label: q.Label, returnData: q.ReturnData ?? true)
        }
    }
}
