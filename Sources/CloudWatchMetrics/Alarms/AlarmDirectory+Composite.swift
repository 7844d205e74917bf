import Foundation

/// Composite alarms: PutCompositeAlarm's rules, and their state from their rule over the other alarms' states, each
/// evaluation after the metric alarms' (composites that read composites after those they read).
extension AlarmDirectory {
    /// The fields of PutCompositeAlarm a caller gives.
    public struct CompositeDefinition: Sendable {
        public var name: String
        public var rule: String
        public var description: String?
        public var actionsEnabled: Bool?
        public var okActions: [String]?
        public var alarmActions: [String]?
        public var insufficientDataActions: [String]?
        public var actionsSuppressor: String?
        public var tags: [String: String]?

        public init(name: String, rule: String, description: String?, actionsEnabled: Bool?, okActions: [String]?,
                    alarmActions: [String]?, insufficientDataActions: [String]?, actionsSuppressor: String?, tags: [String: String]?) {
            self.name = name
            self.rule = rule
            self.description = description
            self.actionsEnabled = actionsEnabled
            self.okActions = okActions
            self.alarmActions = alarmActions
            self.insufficientDataActions = insufficientDataActions
            self.actionsSuppressor = actionsSuppressor
            self.tags = tags
        }
    }

    /// PutCompositeAlarm: creates or replaces a composite alarm; every alarm its rule names must exist, and the rule
    /// may not lead back to the alarm itself.
    public func putComposite(_ d: CompositeDefinition) async throws {
        guard !d.name.isEmpty, d.name.count <= 255 else {
            throw MetricsError.invalidParameterValue("The parameter AlarmName must be between 1 and 255 characters long.")
        }
        if d.actionsSuppressor != nil {
            throw MetricsError.validation("ActionsSuppressor is not supported by Swiftlet.")
        }
        let rule = try AlarmRule(parsing: d.rule)
        guard rule.alarms.count <= 100 else { throw MetricsError.validation("AlarmRule may name at most 100 alarms.") }
        let metricAlarms = Set(try await store.alarms().map(\.AlarmName))
        let composites = Dictionary(try await store.compositeAlarms().map { ($0.AlarmName, $0) }, uniquingKeysWith: { $1 })
        if metricAlarms.contains(d.name) {
            throw MetricsError.validation("The alarm \(d.name) is a metric alarm: give another name, or delete it first.")
        }
        let missing = rule.alarms.filter { !metricAlarms.contains($0) && composites[$0] == nil && $0 != d.name }.sorted()
        if !missing.isEmpty {
            throw MetricsError.validation("Could not save the composite alarm as alarms [\(missing.joined(separator: ", "))] in the alarm rule do not exist")
        }
        // A cycle: the rule reaches the alarm itself through composites.
        var seen: Set<String> = []
        var pending = Array(rule.alarms)
        while let next = pending.popLast() {
            if next == d.name { throw MetricsError.validation("AlarmRule of \(d.name) refers back to \(d.name): composite alarms may not form a cycle.") }
            guard seen.insert(next).inserted, let composite = composites[next], let inner = try? AlarmRule(parsing: composite.AlarmRule) else { continue }
            pending += inner.alarms
        }
        try Self.checkActions(ok: d.okActions, alarm: d.alarmActions, insufficientData: d.insufficientDataActions)
        let now = Date(timeIntervalSince1970: metrics.now)
        let existing = composites[d.name]
        let alarm = CompositeAlarm(
            AlarmName: d.name, AlarmArn: arn(d.name), AlarmDescription: d.description, AlarmRule: d.rule,
            AlarmConfigurationUpdatedTimestamp: now, ActionsEnabled: d.actionsEnabled ?? true, OKActions: d.okActions ?? [],
            AlarmActions: d.alarmActions ?? [], InsufficientDataActions: d.insufficientDataActions ?? [],
            StateValue: existing?.StateValue ?? "INSUFFICIENT_DATA",
            StateReason: existing?.StateReason ?? "Unchecked: Initial alarm creation", StateReasonData: existing?.StateReasonData,
            StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now, StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? now)
        try await store.putCompositeAlarm(alarm, tags: existing == nil ? (d.tags ?? [:]) : nil)
        try await store.appendAlarmHistory(AlarmHistoryItem(
            AlarmName: d.name, AlarmType: "CompositeAlarm", Timestamp: metrics.now, HistoryItemType: "ConfigurationUpdate",
            HistorySummary: existing == nil ? "Alarm \"\(d.name)\" created" : "Alarm \"\(d.name)\" updated", HistoryData: "{}"))
    }

    public func compositeAlarm(_ name: String) async throws -> CompositeAlarm {
        guard let alarm = try await store.compositeAlarm(named: name) else {
            throw MetricsError.resourceNotFound("Alarm \(name) does not exist.")
        }
        return alarm
    }

    public func allComposites() async throws -> [CompositeAlarm] {
        try await store.compositeAlarms().sorted { $0.AlarmName < $1.AlarmName }
    }

    /// Each composite's rule over the states as they are now: TRUE → ALARM, FALSE → OK. A composite reading another
    /// composite is evaluated after it, so one pass settles a chain.
    func evaluateComposites() async throws {
        let composites = try await store.compositeAlarms()
        guard !composites.isEmpty else { return }
        var states: [String: (value: String, arn: String, at: Date)] = [:]
        for alarm in try await store.alarms() {
            states[alarm.AlarmName] = (alarm.StateValue, alarm.AlarmArn, alarm.StateUpdatedTimestamp)
        }
        for composite in composites { states[composite.AlarmName] = (composite.StateValue, composite.AlarmArn, composite.StateUpdatedTimestamp) }
        var rules: [String: AlarmRule] = [:]
        for composite in composites { rules[composite.AlarmName] = try? AlarmRule(parsing: composite.AlarmRule) }
        var done: Set<String> = []
        var remaining = composites
        while !remaining.isEmpty {
            let ready = remaining.filter { c in (rules[c.AlarmName]?.alarms ?? []).allSatisfy { rules[$0] == nil || done.contains($0) || $0 == c.AlarmName } }
            // What is left reads itself in a circle (made by deleting and re-creating alarms): evaluate it as it stands.
            let batch = ready.isEmpty ? remaining : ready
            for composite in batch {
                done.insert(composite.AlarmName)
                guard let rule = rules[composite.AlarmName] else { continue }
                let value = rule.evaluate(states.mapValues(\.value))
                let state = value ? "ALARM" : "OK"
                guard state != composite.StateValue else { continue }
                let triggering = rule.alarms.sorted().compactMap { name -> AlarmTransition.TriggeringAlarm? in
                    guard let s = states[name] else { return nil }
                    return AlarmTransition.TriggeringAlarm(arn: s.arn, state: s.value, timestamp: s.at)
                }
                let names = triggering.map { "\($0.arn) (\($0.state))" }.joined(separator: ", ")
                let reason = "arn:aws:cloudwatch rule \(composite.AlarmRule) evaluated to \(value ? "TRUE" : "FALSE") with \(names.isEmpty ? "no alarms" : names)"
                let data = Self.triggeringData(triggering)
                let updated = try await transition(composite, to: state, reason: reason, reasonData: data, triggering: triggering)
                states[composite.AlarmName] = (updated.StateValue, updated.AlarmArn, updated.StateUpdatedTimestamp)
            }
            let names = Set(batch.map(\.AlarmName))
            remaining.removeAll { names.contains($0.AlarmName) }
        }
    }

    /// `{"triggeringAlarms":[{"arn":…,"state":{"value":…,"timestamp":…}}]}`, as CloudWatch's StateReasonData.
    static func triggeringData(_ alarms: [AlarmTransition.TriggeringAlarm]) -> String {
        struct Entry: Encodable {
            struct State: Encodable { var value: String; var timestamp: String }
            var arn: String
            var state: State
        }
        struct Body: Encodable { var triggeringAlarms: [Entry] }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let body = Body(triggeringAlarms: alarms.map { Entry(arn: $0.arn, state: .init(value: $0.state, timestamp: f.string(from: $0.timestamp))) })
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? e.encode(body)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Stores a composite's new state (with its history) and notifies when it changed and actions are enabled.
    @discardableResult
    func transition(_ alarm: CompositeAlarm, to state: String, reason: String, reasonData: String?,
                    triggering: [AlarmTransition.TriggeringAlarm]) async throws -> CompositeAlarm {
        try await changeState(of: alarm, to: state, reason: reason, reasonData: reasonData, type: "CompositeAlarm",
                              save: { try await self.store.putCompositeAlarm($0, tags: nil) },
                              subject: { .composite($0, triggering: triggering) })
    }
}
