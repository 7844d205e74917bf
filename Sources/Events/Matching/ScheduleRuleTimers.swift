import Delivery
import Foundation
import JSONText
import Schedules
import Synchronization

/// Schedule rules on the one timer engine (kind `rule`): an enabled rule with `rate(…)` or `cron(…)` (UTC) has a
/// timer; each firing sends the "Scheduled Event" (source `aws.events`, detail-type `Scheduled Event`, detail
/// `{}`, the rule's ARN as resource, the due time as time) to the rule's targets. Disabling or deleting the rule
/// cancels its timer; a time missed while the server was down fires once, late, then the schedule resumes.
public final class ScheduleRuleTimers: TimerHandler, ScheduleRuleObserver {
    public static let kind = "rule"
    let bridge: EventBridge
    let engine: TimerEngine

    public init(bridge: EventBridge, engine: TimerEngine) {
        self.bridge = bridge
        self.engine = engine
    }

    static func id(_ key: RuleKey) -> String { key.bus + "/" + key.name }

    static func key(_ id: String) -> RuleKey? {
        guard let slash = id.lastIndex(of: "/") else { return nil }
        return RuleKey(bus: String(id[..<slash]), name: String(id[id.index(after: slash)...]))
    }

    static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!

    public func ruleChanged(_ rule: EventRule) async throws {
        guard rule.state.isEnabled, let text = rule.scheduleExpression, let expression = try? ScheduleExpression(parsing: text),
              let next = expression.nextFireTime(after: bridge.clock(), timeZone: Self.utc) else {
            try await ruleRemoved(rule.key)
            return
        }
        try await engine.schedule(kind: Self.kind, id: Self.id(rule.key), dueAt: Self.ms(next))
    }

    public func ruleRemoved(_ key: RuleKey) async throws {
        try await engine.cancel(kind: Self.kind, id: Self.id(key))
    }

    public func fire(id: String, dueAt: Int64, now: Int64) async -> TimerFiring {
        guard let key = Self.key(id), let rule = bridge.compiledRule(key), rule.rule.state.isEnabled,
              let text = rule.rule.scheduleExpression, let expression = try? ScheduleExpression(parsing: text) else {
            return TimerFiring(next: nil)
        }
        let due = Date(timeIntervalSince1970: Double(dueAt) / 1000)
        let event = EventEnvelope(id: UUID().uuidString.lowercased(), source: "aws.events", detailType: "Scheduled Event",
                                  detail: .object([]), resources: [rule.arn], time: due, account: bridge.arns.accountId,
                                  region: bridge.arns.region, ingestionTime: Date(timeIntervalSince1970: Double(now) / 1000))
        let deliveries = bridge.deliveries(for: event, rule: rule, acceptedAt: now)
        // The next time after the one that fired; times missed while down are skipped (one late firing, not many).
        var next = expression.nextFireTime(after: due, timeZone: Self.utc)
        var guardCount = 0
        while let candidate = next, Self.ms(candidate) <= now, guardCount < 100_000 {
            next = expression.nextFireTime(after: candidate, timeZone: Self.utc)
            guardCount += 1
        }
        return TimerFiring(deliveries: deliveries, next: next.map(Self.ms))
    }

    static func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
