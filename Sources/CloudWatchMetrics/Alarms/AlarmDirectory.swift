import Foundation
import Logging
import ServiceLifecycle

/// A state change of an alarm whose actions are enabled: what the notifier sends to each action.
public struct AlarmTransition: Sendable {
    public enum Subject: Sendable {
        case metric(MetricAlarm)
        case composite(CompositeAlarm, triggering: [TriggeringAlarm])
    }

    /// An alarm of a composite's rule whose state made the composite change.
    public struct TriggeringAlarm: Sendable, Equatable {
        public var arn: String
        public var state: String
        public var timestamp: Date
    }

    public var subject: Subject
    public var oldState: String
    public var actions: [String]

    public var alarmArn: String {
        switch subject {
        case .metric(let a): a.AlarmArn
        case .composite(let a, _): a.AlarmArn
        }
    }
}

/// Metric alarms as operations (PutMetricAlarm's rules, SetAlarmState, describe, delete) and their evaluation:
/// a service that evaluates every alarm every few seconds, stores state changes with their history, and hands
/// transitions of alarms with actions enabled to `notify`.
public final class AlarmDirectory: Service, Sendable {
    let store: any AlarmStore
    let metrics: MetricsDirectory
    let region: String
    let accountId: String
    let interval: Duration
    let logger: Logger
    let notify: @Sendable (AlarmTransition) async -> Void

    public init(store: any AlarmStore, metrics: MetricsDirectory, region: String, accountId: String, interval: Duration = .seconds(5),
                logger: Logger, notify: @escaping @Sendable (AlarmTransition) async -> Void) {
        self.store = store
        self.metrics = metrics
        self.region = region
        self.accountId = accountId
        self.interval = interval
        self.logger = logger
        self.notify = notify
    }

    public func arn(_ name: String) -> String { "arn:aws:cloudwatch:\(region):\(accountId):alarm:\(name)" }

    /// The fields of PutMetricAlarm a caller gives.
    public struct Definition: Sendable {
        public var name: String
        public var description: String?
        public var actionsEnabled: Bool?
        public var okActions: [String]?
        public var alarmActions: [String]?
        public var insufficientDataActions: [String]?
        public var metricName: String?
        public var namespace: String?
        public var statistic: String?
        public var extendedStatistic: String?
        public var dimensions: [MetricDimension]
        public var period: Int?
        public var unit: String?
        public var evaluationPeriods: Int
        public var datapointsToAlarm: Int?
        public var threshold: Double?
        public var comparisonOperator: String
        public var treatMissingData: String?
        public var evaluateLowSampleCountPercentile: String?
        public var tags: [String: String]?
        /// An alarm on metric math: its queries, instead of the metric fields.
        public var metrics: [MetricDataQuery]?

        public init(name: String, description: String?, actionsEnabled: Bool?, okActions: [String]?, alarmActions: [String]?,
                    insufficientDataActions: [String]?, metricName: String?, namespace: String?, statistic: String?,
                    extendedStatistic: String?, dimensions: [MetricDimension], period: Int?, unit: String?, evaluationPeriods: Int,
                    datapointsToAlarm: Int?, threshold: Double?, comparisonOperator: String, treatMissingData: String?,
                    evaluateLowSampleCountPercentile: String?, tags: [String: String]?, metrics: [MetricDataQuery]?) {
            self.name = name
            self.description = description
            self.actionsEnabled = actionsEnabled
            self.okActions = okActions
            self.alarmActions = alarmActions
            self.insufficientDataActions = insufficientDataActions
            self.metricName = metricName
            self.namespace = namespace
            self.statistic = statistic
            self.extendedStatistic = extendedStatistic
            self.dimensions = dimensions
            self.period = period
            self.unit = unit
            self.evaluationPeriods = evaluationPeriods
            self.datapointsToAlarm = datapointsToAlarm
            self.threshold = threshold
            self.comparisonOperator = comparisonOperator
            self.treatMissingData = treatMissingData
            self.evaluateLowSampleCountPercentile = evaluateLowSampleCountPercentile
            self.tags = tags
            self.metrics = metrics
        }
    }

    /// PutMetricAlarm: creates or replaces an alarm (a new one starts in INSUFFICIENT_DATA; a replaced one keeps its
    /// state until the next evaluation).
    public func put(_ d: Definition) async throws {
        guard !d.name.isEmpty, d.name.count <= 255 else {
            throw MetricsError.invalidParameterValue("The parameter AlarmName must be between 1 and 255 characters long.")
        }
        var period: Int
        if let metrics = d.metrics {
            for (field, given) in [("MetricName", d.metricName != nil), ("Namespace", d.namespace != nil), ("Statistic", d.statistic != nil),
                                   ("ExtendedStatistic", d.extendedStatistic != nil), ("Dimensions", !d.dimensions.isEmpty),
                                   ("Period", d.period != nil), ("Unit", d.unit != nil)] where given {
                throw MetricsError.invalidParameterCombination("The parameter \(field) cannot be given with Metrics: an alarm is on one metric or on metric math.")
            }
            let set = try MetricDataQuerySet(metrics, field: "Metrics")
            guard metrics.filter({ $0.ReturnData ?? true }).count == 1 else {
                throw MetricsError.validation("Exactly one element of the metrics list should return data.")
            }
            for (i, query) in metrics.enumerated() where query.Expression != nil {
                if let p = query.Period {
                    try MetricsDirectory.checkPeriod(p, field: "Metrics.member.\(i + 1).Period")
                }
            }
            guard !set.queries.allSatisfy({ $0.MetricStat == nil }) || metrics.contains(where: { $0.Period != nil }) else {
                throw MetricsError.validation("Metrics: an alarm on expressions alone needs a Period on its expression.")
            }
            period = MetricAlarm.evaluationPeriod(of: metrics)
        } else {
            guard d.metricName != nil, let namespace = d.namespace else {
                throw MetricsError.missingParameter("The parameters MetricName and Namespace are required.")
            }
            try MetricsDirectory.checkNamespace(namespace, publishing: false)
            try MetricsDirectory.checkDimensions(d.dimensions, field: "Dimensions")
            try MetricsDirectory.checkUnit(d.unit, field: "Unit")
            guard let given = d.period else { throw MetricsError.missingParameter("The parameter Period is required.") }
            period = given
            guard (d.statistic == nil) != (d.extendedStatistic == nil) else {
                throw MetricsError.invalidParameterCombination("Exactly one of the parameters Statistic and ExtendedStatistic must be given.")
            }
            if let s = d.statistic, MetricStatistic(basic: s) == nil {
                throw MetricsError.invalidParameterValue("The parameter Statistic must be a value in the set [ SampleCount, Average, Sum, Minimum, Maximum ].")
            }
            if let e = d.extendedStatistic, MetricStatistic(percentile: e) == nil {
                throw MetricsError.invalidParameterValue("The value \(e) for parameter ExtendedStatistic is not supported.")
            }
        }
        guard [10, 20, 30].contains(period) || (period >= 60 && period % 60 == 0) else {
            throw MetricsError.invalidParameterValue("The parameter Period must be 10, 20, 30 or a multiple of 60.")
        }
        guard d.evaluationPeriods >= 1 else { throw MetricsError.invalidParameterValue("The parameter EvaluationPeriods must be greater than or equal to 1.") }
        guard d.evaluationPeriods * period <= 86_400 * 7 else {
            throw MetricsError.validation("Metrics cannot be checked across more than a week: EvaluationPeriods × Period must be at most 604800.")
        }
        if let m = d.datapointsToAlarm, m < 1 || m > d.evaluationPeriods {
            throw MetricsError.validation("DatapointsToAlarm must be between 1 and EvaluationPeriods (\(d.evaluationPeriods)).")
        }
        guard let threshold = d.threshold else { throw MetricsError.missingParameter("The parameter Threshold is required.") }
        guard MetricAlarm.operators.contains(d.comparisonOperator) else {
            throw MetricsError.invalidParameterValue("The parameter ComparisonOperator must be a value in the set [ \(MetricAlarm.operators.joined(separator: ", ")) ].")
        }
        if let t = d.treatMissingData, !MetricAlarm.missingDataTreatments.contains(t) {
            throw MetricsError.validation("TreatMissingData must be one of breaching, notBreaching, ignore, missing.")
        }
        try Self.checkActions(ok: d.okActions, alarm: d.alarmActions, insufficientData: d.insufficientDataActions)
        let now = Date(timeIntervalSince1970: metrics.now)
        if try await store.compositeAlarm(named: d.name) != nil {
            throw MetricsError.validation("The alarm \(d.name) is a composite alarm: give another name, or delete it first.")
        }
        let existing = try await store.alarm(named: d.name)
        let alarm = MetricAlarm(
            AlarmName: d.name, AlarmArn: arn(d.name), AlarmDescription: d.description, AlarmConfigurationUpdatedTimestamp: now,
            ActionsEnabled: d.actionsEnabled ?? true, OKActions: d.okActions ?? [], AlarmActions: d.alarmActions ?? [],
            InsufficientDataActions: d.insufficientDataActions ?? [],
            StateValue: existing?.StateValue ?? "INSUFFICIENT_DATA",
            StateReason: existing?.StateReason ?? "Unchecked: Initial alarm creation",
            StateReasonData: existing?.StateReasonData, StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now,
            StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? now, MetricName: d.metricName, Namespace: d.namespace,
            Statistic: d.statistic, ExtendedStatistic: d.extendedStatistic,
            Dimensions: d.dimensions.map { .init(Name: $0.name, Value: $0.value) }, Period: d.metrics == nil ? period : nil, Unit: d.unit,
            EvaluationPeriods: d.evaluationPeriods, DatapointsToAlarm: d.datapointsToAlarm, Threshold: threshold,
            ComparisonOperator: d.comparisonOperator, TreatMissingData: d.treatMissingData,
            EvaluateLowSampleCountPercentile: d.evaluateLowSampleCountPercentile, Metrics: d.metrics)
        try await store.putAlarm(alarm, tags: existing == nil ? (d.tags ?? [:]) : nil)
        try await store.appendAlarmHistory(AlarmHistoryItem(
            AlarmName: d.name, Timestamp: metrics.now, HistoryItemType: "ConfigurationUpdate",
            HistorySummary: existing == nil ? "Alarm \"\(d.name)\" created" : "Alarm \"\(d.name)\" updated", HistoryData: "{}"))
    }

    /// SNS topics and Lambda functions (AWS also takes EC2, Auto Scaling and Systems Manager actions).
    static func isSupportedAction(_ arn: String) -> Bool {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn" else { return false }
        return parts[2] == "sns" || (parts[2] == "lambda" && parts[5] == "function" && parts.count >= 7)
    }

    public func alarm(_ name: String) async throws -> MetricAlarm {
        // (Composite alarms: `compositeAlarm(_:)`.)
        guard let alarm = try await store.alarm(named: name) else {
            throw MetricsError.resourceNotFound("Alarm \(name) does not exist.")
        }
        return alarm
    }

    public func all() async throws -> [MetricAlarm] {
        try await store.alarms().sorted { $0.AlarmName < $1.AlarmName }
    }

    public func delete(_ names: [String]) async throws {
        let deleted = try await store.deleteAlarms(names)
        if let missing = names.first(where: { !deleted.contains($0) }) {
            throw MetricsError.resourceNotFound("Alarm \(missing) does not exist.")
        }
    }

    public func setActionsEnabled(_ names: [String], _ enabled: Bool) async throws {
        for name in names {
            if var alarm = try await store.alarm(named: name) {
                alarm.ActionsEnabled = enabled
                try await store.putAlarm(alarm, tags: nil)
            } else if var composite = try await store.compositeAlarm(named: name) {
                composite.ActionsEnabled = enabled
                try await store.putCompositeAlarm(composite, tags: nil)
            }
        }
    }

    /// SetAlarmState: the state until the next evaluation; actions run as for any change.
    public func setState(_ name: String, state: String, reason: String, reasonData: String?) async throws {
        guard MetricAlarm.states.contains(state) else {
            throw MetricsError.invalidParameterValue("The parameter StateValue must be a value in the set [ OK, ALARM, INSUFFICIENT_DATA ].")
        }
        if let reasonData, JSONValueCheck.isJSON(reasonData) == false {
            throw MetricsError.invalidFormat("StateReasonData must be valid JSON.")
        }
        if let composite = try await store.compositeAlarm(named: name) {
            try await transition(composite, to: state, reason: reason, reasonData: reasonData, triggering: [])
            return
        }
        let alarm = try await alarm(name)
        try await transition(alarm, to: state, reason: reason, reasonData: reasonData)
    }

    /// Stores a new state (with its history) and notifies when it changed and actions are enabled.
    func transition(_ alarm: MetricAlarm, to state: String, reason: String, reasonData: String?) async throws {
        try await changeState(of: alarm, to: state, reason: reason, reasonData: reasonData, type: "MetricAlarm",
                              save: { try await self.store.putAlarm($0, tags: nil) }, subject: { .metric($0) })
    }

    /// Stores `alarm` in `state` (through `save`), with a history entry and, when the state changed and its actions are
    /// enabled, a notification of the transition; returns the alarm as stored.
    @discardableResult
    func changeState<A: AlarmRecord>(of alarm: A, to state: String, reason: String, reasonData: String?, type: String,
                                     save: (A) async throws -> Void,
                                     subject: (A) -> AlarmTransition.Subject) async throws -> A {
        let now = Date(timeIntervalSince1970: metrics.now)
        var next = alarm
        let changed = alarm.StateValue != state
        next.StateValue = state
        next.StateReason = reason
        next.StateReasonData = reasonData
        next.StateUpdatedTimestamp = now
        if changed { next.StateTransitionedTimestamp = now }
        try await save(next)
        guard changed else { return next }
        try await store.appendAlarmHistory(AlarmHistoryItem(
            AlarmName: alarm.AlarmName, AlarmType: type, Timestamp: metrics.now, HistoryItemType: "StateUpdate",
            HistorySummary: "Alarm updated from \(alarm.StateValue) to \(state)",
            HistoryData: #"{"oldState":{"stateValue":"\#(alarm.StateValue)"},"newState":{"stateValue":"\#(state)"}}"#))
        let actions = next.actions(for: state)
        if next.ActionsEnabled && !actions.isEmpty {
            await notify(AlarmTransition(subject: subject(next), oldState: alarm.StateValue, actions: actions))
        }
        return next
    }

    /// At most five actions per state, each an SNS topic or a Lambda function.
    static func checkActions(ok: [String]?, alarm: [String]?, insufficientData: [String]?) throws(MetricsError) {
        for (field, actions) in [("OKActions", ok), ("AlarmActions", alarm), ("InsufficientDataActions", insufficientData)] {
            let list = actions ?? []
            guard list.count <= 5 else { throw MetricsError.invalidParameterValue("The collection \(field) must not have a size greater than 5.") }
            for action in list where !isSupportedAction(action) {
                throw MetricsError.validation("Invalid \(field): \(action) is not an SNS topic or Lambda function ARN of this server.")
            }
        }
    }

    /// Evaluates every alarm once against its metric's latest periods.
    public func evaluateAll() async {
        let alarms: [MetricAlarm]
        do { alarms = try await store.alarms() } catch {
            logger.error("reading alarms failed", metadata: ["error": "\(error)"])
            return
        }
        for alarm in alarms {
            do {
                try await evaluate(alarm)
            } catch {
                logger.warning("evaluating an alarm failed", metadata: ["alarm": "\(alarm.AlarmName)", "error": "\(error)"])
            }
        }
        do {
            try await evaluateComposites()
        } catch {
            logger.warning("evaluating composite alarms failed", metadata: ["error": "\(error)"])
        }
    }

    func evaluate(_ alarm: MetricAlarm) async throws {
        let period = Int64(alarm.evaluationPeriod)
        let now = Int64(metrics.now)
        // The latest `EvaluationPeriods` complete periods (the one still filling is evaluated once it is complete,
        // so every datapoint is seen by at least one evaluation).
        let end = now / period * period
        let start = end - period * Int64(alarm.EvaluationPeriods)
        var values: [Double?] = Array(repeating: nil, count: alarm.EvaluationPeriods)
        func place(_ time: Int64, _ value: Double?) {
            let index = Int((time - start) / period)
            if index >= 0 && index < values.count { values[index] = value }
        }
        if let queries = alarm.Metrics {
            let set = try MetricDataQuerySet(queries, field: "Metrics")
            for series in try await set.evaluate(start: Double(start), end: Double(end), directory: metrics) {
                for (time, value) in series.points where value.isFinite { place(time, value) }
            }
        } else {
            guard let statistic = alarm.statistic, let identity = alarm.identity else { return }
            let periods = try await metrics.periods(MetricQuery(identity: identity, period: alarm.evaluationPeriod, unit: alarm.Unit,
                                                                percentiles: MetricStatistic.isPercentile(statistic)),
                                                    start: start, end: end)
            for p in periods { place(p.start, p.aggregate.value(of: statistic)) }
        }
        let evaluation = AlarmEvaluation.evaluate(alarm, values: values)
        guard evaluation.state != alarm.StateValue else { return }
        let data = #"{"version":"1.0","queryDate":"\#(ISO8601DateFormatter().string(from: Date()))","statistic":"\#(alarm.Statistic ?? alarm.ExtendedStatistic ?? "")","period":\#(alarm.evaluationPeriod),"recentDatapoints":[\#(evaluation.recent.map { String($0) }.joined(separator: ","))],"threshold":\#(alarm.Threshold)}"#
        try await transition(alarm, to: evaluation.state, reason: evaluation.reason, reasonData: data)
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                await self.evaluateAll()
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            }
        } onGracefulShutdown: {}
    }
}

/// Whether a string is JSON (StateReasonData must be).
enum JSONValueCheck {
    static func isJSON(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
    }
}

extension AlarmDirectory {
    public func history(name: String?, since: Double, until: Double) async throws -> [AlarmHistoryItem] {
        try await store.alarmHistory(name: name, since: since, until: until)
    }

    /// The alarm an ARN names (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`).
    func alarmName(arn: String) throws -> String {
        let prefix = "arn:aws:cloudwatch:\(region):\(accountId):alarm:"
        guard arn.hasPrefix(prefix), arn.count > prefix.count else {
            throw MetricsError.resourceNotFound("The resource \(arn) does not exist.")
        }
        return String(arn.dropFirst(prefix.count))
    }

    public func tags(arn: String) async throws -> [String: String] {
        guard let tags = try await store.alarmTags(try alarmName(arn: arn)) else {
            throw MetricsError.resourceNotFound("The resource \(arn) does not exist.")
        }
        return tags
    }

    public func tag(arn: String, add: [String: String], remove: [String]) async throws {
        let name = try alarmName(arn: arn)
        guard var tags = try await store.alarmTags(name) else { throw MetricsError.resourceNotFound("The resource \(arn) does not exist.") }
        for key in remove { tags[key] = nil }
        tags.merge(add) { $1 }
        guard tags.count <= 50 else { throw MetricsError.limitExceeded("An alarm may have at most 50 tags.") }
        try await store.setAlarmTags(name, tags)
    }
}
