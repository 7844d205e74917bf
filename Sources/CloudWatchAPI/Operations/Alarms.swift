import AWSProtocol
import CloudWatchMetrics
import Foundation

extension CloudWatchService {
    func alarmsDirectory() throws -> AlarmDirectory {
        guard let alarms else { throw AWSError(code: "InvalidAction", status: 400, message: "Alarms are not served here.") }
        return alarms
    }

    func putMetricAlarm(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(PutMetricAlarmInput.self, from: request)
        try await alarmsDirectory().put(AlarmDirectory.Definition(
            name: input.AlarmName, description: input.AlarmDescription, actionsEnabled: input.ActionsEnabled, okActions: input.OKActions,
            alarmActions: input.AlarmActions, insufficientDataActions: input.InsufficientDataActions, metricName: input.MetricName,
            namespace: input.Namespace, statistic: input.Statistic, extendedStatistic: input.ExtendedStatistic,
            dimensions: (input.Dimensions ?? []).map { MetricDimension(name: $0.Name, value: $0.Value) }, period: input.Period,
            unit: input.Unit, evaluationPeriods: input.EvaluationPeriods, datapointsToAlarm: input.DatapointsToAlarm,
            threshold: input.Threshold, comparisonOperator: input.ComparisonOperator, treatMissingData: input.TreatMissingData,
            evaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile,
            tags: input.Tags.map { Dictionary($0.map { ($0.Key, $0.Value) }, uniquingKeysWith: { $1 }) },
            metrics: input.Metrics))
        return try wire.encode(EmptyOutput())
    }

    func describeAlarms(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(DescribeAlarmsInput.self, from: request)
        if let s = input.StateValue, !MetricAlarm.states.contains(s) {
            throw MetricsError.invalidParameterValue("The parameter StateValue must be a value in the set [ OK, ALARM, INSUFFICIENT_DATA ].")
        }
        if input.AlarmNames != nil && input.AlarmNamePrefix != nil {
            throw MetricsError.invalidParameterCombination("The parameters AlarmNames and AlarmNamePrefix are mutually exclusive.")
        }
        if input.ChildrenOfAlarmName != nil && input.ParentsOfAlarmName != nil {
            throw MetricsError.invalidParameterCombination("The parameters ChildrenOfAlarmName and ParentsOfAlarmName are mutually exclusive.")
        }
        let types = input.AlarmTypes ?? ["MetricAlarm"]
        if let bad = types.first(where: { $0 != "MetricAlarm" && $0 != "CompositeAlarm" }) {
            throw MetricsError.invalidParameterValue("The value \(bad) for parameter AlarmTypes must be MetricAlarm or CompositeAlarm.")
        }
        let limit = input.MaxRecords ?? 50
        guard (1...100).contains(limit) else { throw MetricsError.invalidParameterValue("The parameter MaxRecords must be between 1 and 100.") }
        let directory = try alarmsDirectory()
        // Without AlarmTypes only metric alarms are described, as CloudWatch does.
        var items: [DescribedAlarm] = []
        if types.contains("MetricAlarm") { items += try await directory.all().map(DescribedAlarm.metric) }
        if types.contains("CompositeAlarm") { items += try await directory.allComposites().map(DescribedAlarm.composite) }
        items.sort { $0.name < $1.name }
        if let names = input.AlarmNames { items = items.filter { names.contains($0.name) } }
        if let prefix = input.AlarmNamePrefix { items = items.filter { $0.name.hasPrefix(prefix) } }
        if let state = input.StateValue { items = items.filter { $0.state == state } }
        if let prefix = input.ActionPrefix { items = items.filter { $0.actions.contains { $0.hasPrefix(prefix) } } }
        if let parent = input.ChildrenOfAlarmName {
            let children = (try? AlarmRule(parsing: try await directory.compositeAlarm(parent).AlarmRule).alarms) ?? []
            items = items.filter { children.contains($0.name) }
        }
        if let child = input.ParentsOfAlarmName {
            items = items.filter { item in
                guard case .composite(let c) = item, let rule = try? AlarmRule(parsing: c.AlarmRule) else { return false }
                return rule.alarms.contains(child)
            }
        }
        let offset = try Self.offset(input.NextToken, count: items.count)
        let page = Array(items[offset..<min(items.count, offset + limit)])
        let next = offset + page.count < items.count ? Data(String(offset + page.count).utf8).base64EncodedString() : nil
        return try wire.encode(DescribeAlarmsOutput(
            MetricAlarms: page.compactMap { if case .metric(let a) = $0 { a } else { nil } },
            CompositeAlarms: page.compactMap { if case .composite(let a) = $0 { a } else { nil } }, NextToken: next))
    }

    /// One alarm of DescribeAlarms' answer, of either kind.
    enum DescribedAlarm {
        case metric(MetricAlarm)
        case composite(CompositeAlarm)

        var name: String {
            switch self {
            case .metric(let a): a.AlarmName
            case .composite(let a): a.AlarmName
            }
        }

        var state: String {
            switch self {
            case .metric(let a): a.StateValue
            case .composite(let a): a.StateValue
            }
        }

        var actions: [String] {
            switch self {
            case .metric(let a): a.OKActions + a.AlarmActions + a.InsufficientDataActions
            case .composite(let a): a.OKActions + a.AlarmActions + a.InsufficientDataActions
            }
        }
    }

    func putCompositeAlarm(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(PutCompositeAlarmInput.self, from: request)
        try await alarmsDirectory().putComposite(AlarmDirectory.CompositeDefinition(
            name: input.AlarmName, rule: input.AlarmRule, description: input.AlarmDescription, actionsEnabled: input.ActionsEnabled,
            okActions: input.OKActions, alarmActions: input.AlarmActions, insufficientDataActions: input.InsufficientDataActions,
            actionsSuppressor: input.ActionsSuppressor,
            tags: input.Tags.map { Dictionary($0.map { ($0.Key, $0.Value) }, uniquingKeysWith: { $1 }) }))
        return try wire.encode(EmptyOutput())
    }

    func describeAlarmsForMetric(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(DescribeAlarmsForMetricInput.self, from: request)
        let dims = Set((input.Dimensions ?? []).map { "\($0.Name)=\($0.Value)" })
        let alarms = try await alarmsDirectory().all().filter { a in
            a.MetricName == input.MetricName && a.Namespace == input.Namespace
                && Set(a.Dimensions.map { "\($0.Name)=\($0.Value)" }) == dims
                && (input.Statistic == nil || a.Statistic == input.Statistic)
                && (input.ExtendedStatistic == nil || a.ExtendedStatistic == input.ExtendedStatistic)
                && (input.Period == nil || a.Period == input.Period) && (input.Unit == nil || a.Unit == input.Unit)
        }
        return try wire.encode(DescribeAlarmsForMetricOutput(MetricAlarms: alarms))
    }

    func deleteAlarms(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(AlarmNamesInput.self, from: request)
        guard input.AlarmNames.count <= 100 else {
            throw MetricsError.invalidParameterValue("The collection AlarmNames must not have a size greater than 100.")
        }
        try await alarmsDirectory().delete(input.AlarmNames)
        return try wire.encode(EmptyOutput())
    }

    func setAlarmActions(_ request: APIRequest, enabled: Bool) async throws -> APIResponse {
        let input = try wire.decode(AlarmNamesInput.self, from: request)
        try await alarmsDirectory().setActionsEnabled(input.AlarmNames, enabled)
        return try wire.encode(EmptyOutput())
    }

    func setAlarmState(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(SetAlarmStateInput.self, from: request)
        try await alarmsDirectory().setState(input.AlarmName, state: input.StateValue, reason: input.StateReason,
                                             reasonData: input.StateReasonData)
        return try wire.encode(EmptyOutput())
    }

    func describeAlarmHistory(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(DescribeAlarmHistoryInput.self, from: request)
        var items = try await alarmsDirectory().history(name: input.AlarmName, since: input.StartDate?.timeIntervalSince1970 ?? 0,
                                                        until: input.EndDate?.timeIntervalSince1970 ?? Double(Int64.max))
        if let type = input.HistoryItemType { items = items.filter { $0.HistoryItemType == type } }
        // Without AlarmTypes only metric alarms' history, as CloudWatch answers.
        let types = input.AlarmTypes ?? ["MetricAlarm"]
        items = items.filter { types.contains($0.AlarmType) }
        if input.ScanBy == "TimestampAscending" { items.reverse() }
        let limit = input.MaxRecords ?? 100
        let offset = try Self.offset(input.NextToken, count: items.count)
        let page = items[offset..<min(items.count, offset + limit)]
        let next = offset + page.count < items.count ? Data(String(offset + page.count).utf8).base64EncodedString() : nil
        return try wire.encode(DescribeAlarmHistoryOutput(AlarmHistoryItems: page.map {
            AlarmHistoryItemShape(AlarmName: $0.AlarmName, AlarmType: $0.AlarmType, Timestamp: Date(timeIntervalSince1970: $0.Timestamp),
                                  HistoryItemType: $0.HistoryItemType, HistorySummary: $0.HistorySummary, HistoryData: $0.HistoryData)
        }, NextToken: next))
    }

    func tagResource(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(TagResourceInput.self, from: request)
        try await alarmsDirectory().tag(arn: input.ResourceARN, add: Dictionary(input.Tags.map { ($0.Key, $0.Value) }, uniquingKeysWith: { $1 }),
                                        remove: [])
        return try wire.encode(EmptyOutput())
    }

    func untagResource(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(UntagResourceInput.self, from: request)
        try await alarmsDirectory().tag(arn: input.ResourceARN, add: [:], remove: input.TagKeys)
        return try wire.encode(EmptyOutput())
    }

    func listTagsForResource(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(ListTagsForResourceInput.self, from: request)
        let tags = try await alarmsDirectory().tags(arn: input.ResourceARN)
        return try wire.encode(ListTagsForResourceOutput(Tags: tags.sorted { $0.key < $1.key }.map { Tag(Key: $0.key, Value: $0.value) }))
    }

    /// The offset a base64 page token names.
    static func offset(_ token: String?, count: Int) throws -> Int {
        guard let token else { return 0 }
        guard let data = Data(base64Encoded: token), let n = Int(String(decoding: data, as: UTF8.self)), n >= 0, n <= count else {
            throw MetricsError.invalidNextToken("The service cannot read the NextToken you gave.")
        }
        return n
    }
}
