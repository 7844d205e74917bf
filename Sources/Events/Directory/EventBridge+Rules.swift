import EventPatterns
import Foundation
import Schedules

/// Rules: PutRule (create or update), describe, list, enable/disable, delete, and TestEventPattern.
extension EventBridge {
    static let maxPatternLength = 4096
    static let maxDescriptionLength = 512

    /// The parameters of PutRule.
    public struct RuleDefinition: Sendable {
        public var name: String
        public var busName: String?
        public var eventPattern: String?
        public var scheduleExpression: String?
        public var state: EventRule.State?
        public var description: String?
        public var roleArn: String?
        public var tags: [String: String]?

        public init(name: String, busName: String? = nil, eventPattern: String? = nil, scheduleExpression: String? = nil,
                    state: EventRule.State? = nil, description: String? = nil, roleArn: String? = nil, tags: [String: String]? = nil) {
            self.name = name
            self.busName = busName
            self.eventPattern = eventPattern
            self.scheduleExpression = scheduleExpression
            self.state = state
            self.description = description
            self.roleArn = roleArn
            self.tags = tags
        }
    }

    static func checkRuleName(_ name: String) throws(EventsError) {
        guard !name.isEmpty, name.utf8.count <= 64,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw .validation("1 validation error detected: Value '\(name)' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and 64")
        }
    }

    /// Parses a pattern as PutRule and TestEventPattern check it.
    public static func parsePattern(_ text: String) throws(EventsError) -> EventPattern {
        guard text.utf8.count <= maxPatternLength else {
            throw .validation("1 validation error detected: Value at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to \(maxPatternLength)")
        }
        do {
            return try EventPattern(parsing: text)
        } catch {
            throw .invalidEventPattern("Event pattern is not valid. Reason: \(error.reason)")
        }
    }

    /// EventBridge rules take `rate(…)` and `cron(…)` (UTC), not Scheduler's `at(…)`.
    public static func parseSchedule(_ text: String) throws(EventsError) -> ScheduleExpression {
        guard let parsed = try? ScheduleExpression(parsing: text), !parsed.isOneTime else {
            throw .validation("Parameter ScheduleExpression is not valid.")
        }
        return parsed
    }

    /// Creates or updates a rule (its targets stay; tags are set only when it is created, as AWS).
    public func putRule(_ definition: RuleDefinition) async throws -> String {
        try Self.checkRuleName(definition.name)
        let pattern = definition.eventPattern.flatMap { $0.isEmpty ? nil : $0 }
        let schedule = definition.scheduleExpression.flatMap { $0.isEmpty ? nil : $0 }
        guard pattern != nil || schedule != nil else {
            throw EventsError.validation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
        }
        guard pattern == nil || schedule == nil else {
            throw EventsError.validation("Parameter(s) EventPattern and ScheduleExpression cannot both be specified on this platform.")
        }
        if let pattern { _ = try Self.parsePattern(pattern) }
        if let schedule { _ = try Self.parseSchedule(schedule) }
        if let description = definition.description, description.count > Self.maxDescriptionLength {
            throw EventsError.validation("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to \(Self.maxDescriptionLength)")
        }
        return try await mutate {
            let bus = try existingBus(definition.busName)
            if schedule != nil && bus.name != EventBus.defaultName {
                throw EventsError.validation("ScheduleExpression is supported only on the default event bus.")
            }
            let key = RuleKey(bus: bus.name, name: definition.name)
            let existing = state.withLock { $0.rules[key]?.rule }
            if existing == nil {
                let count = state.withLock { $0.rules.keys.count { $0.bus == bus.name } }
                guard count < Self.maxRulesPerBus else {
                    throw EventsError.limitExceeded("The requested resource exceeds the maximum number allowed.")
                }
            }
            var rule = existing ?? EventRule(busName: bus.name, name: definition.name, tags: definition.tags ?? [:])
            rule.eventPattern = pattern
            rule.scheduleExpression = schedule
            rule.state = definition.state ?? .enabled
            rule.description = definition.description
            rule.roleArn = definition.roleArn
            try await self.save(rule)
            return arns.rule(key)
        }
    }

    /// Writes a rule through and re-arms its schedule.
    func save(_ rule: EventRule) async throws {
        try await store.saveEventRule(rule)
        let compiled = CompiledRule(rule, arns: arns)
        let previous = state.withLock { state in
            let previous = state.rules[rule.key]?.rule
            state.rules[rule.key] = compiled
            Self.reindex(&state, bus: rule.busName)
            return previous
        }
        // Only a change of the schedule or of the state re-arms the timer (a new target keeps its phase).
        if let observer = scheduleObserver.withLock({ $0 }),
           previous?.scheduleExpression != rule.scheduleExpression || previous?.state.isEnabled != rule.state.isEnabled {
            if rule.scheduleExpression != nil && rule.state.isEnabled {
                try await observer.ruleChanged(rule)
            } else if previous?.scheduleExpression != nil {
                try await observer.ruleRemoved(rule.key)
            }
        }
    }

    public func rule(name: String, busName: String?) throws(EventsError) -> EventRule {
        let bus = try existingBus(busName)
        let key = RuleKey(bus: bus.name, name: name)
        guard let rule = state.withLock({ $0.rules[key]?.rule }) else { throw .noRule(key) }
        return rule
    }

    /// The bus's rules by name, those starting with `prefix`.
    public func rules(busName: String?, prefix: String?) throws(EventsError) -> [EventRule] {
        let bus = try existingBus(busName)
        return state.withLock { $0.rules.values.map(\.rule).filter { $0.busName == bus.name && (prefix.map($0.name.hasPrefix) ?? true) } }
            .sorted { $0.name < $1.name }
    }

    public func setState(name: String, busName: String?, enabled: Bool) async throws {
        try await mutate {
            var rule = try self.rule(name: name, busName: busName)
            rule.state = enabled ? .enabled : .disabled
            try await self.save(rule)
        }
    }

    /// Deletes a rule; refused while it has targets (as AWS); a rule that is not there is no error.
    public func deleteRule(name: String, busName: String?, force: Bool) async throws {
        try Self.checkRuleName(name)
        try await mutate {
            let bus = try existingBus(busName)
            let key = RuleKey(bus: bus.name, name: name)
            guard let rule = state.withLock({ $0.rules[key]?.rule }) else { return }
            if rule.managedBy != nil && !force {
                throw EventsError.managedRule("Rule \(name) is managed by \(rule.managedBy ?? "") and can be deleted only with Force.")
            }
            guard rule.targets.isEmpty else { throw EventsError.validation("Rule can't be deleted since it has targets.") }
            try await store.deleteEventRule(key)
            state.withLock { state in
                state.rules[key] = nil
                Self.reindex(&state, bus: bus.name)
            }
            if rule.scheduleExpression != nil { try await scheduleObserver.withLock({ $0 })?.ruleRemoved(key) }
        }
    }

    /// The names of the bus's rules with a target of this ARN.
    public func ruleNames(targetArn: String, busName: String?) throws(EventsError) -> [String] {
        let bus = try existingBus(busName)
        return state.withLock { $0.rules.values.map(\.rule) }
            .filter { $0.busName == bus.name && $0.targets.contains { $0.Arn == targetArn } }
            .map(\.name).sorted()
    }

    /// TestEventPattern: the event must carry EventBridge's envelope fields.
    public static func testPattern(_ patternText: String, event eventText: String) throws(EventsError) -> Bool {
        let pattern = try parsePattern(patternText)
        guard let event = EventJSON(parsing: Array(eventText.utf8)), case .object(let fields) = event else {
            throw .validation("Parameter Event is not valid.")
        }
        for field in ["id", "account", "source", "time", "region", "resources", "detail-type"] where fields[field] == nil {
            throw .validation("Parameter Event is not valid. Reason: Provided Event does not contain the required field \(field).")
        }
        return pattern.matches(event)
    }
}
