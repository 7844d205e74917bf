import Delivery
import Events
import Foundation
import Logging
import Schedules
import Synchronization
import Testing

/// Schedule rules on the timer engine: armed when created or enabled, cancelled when disabled or deleted, and each
/// firing the "Scheduled Event" to the rule's targets with the due time as its time.
@Suite struct ScheduleRuleTimersTests {
    final class Timers: TimerStore {
        let records = Mutex<[String: TimerRecord]>([:])
        func allTimers() async throws -> [TimerRecord] { records.withLock { Array($0.values) } }
        func upsertTimer(_ timer: TimerRecord) async throws { records.withLock { $0[timer.kind + "|" + timer.id] = timer } }
        func deleteTimer(kind: String, id: String) async throws { _ = records.withLock { $0.removeValue(forKey: kind + "|" + id) } }
        func commitFirings(_ commits: [TimerCommit]) async throws -> [Bool] { commits.map { _ in true } }
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func armsFiresAndCancels() async throws {
        let bridge = EventBridge(store: InMemoryEventStore(), arns: EventARNs(region: "us-east-1", accountId: "123456789012"),
                                 logger: Logger(label: "test"), clock: { Self.now }, accept: { _ in })
        try await bridge.load()
        let store = Timers()
        let engine = TimerEngine(store: store, wake: {}, logger: Logger(label: "test"), clock: { Int64(Self.now.timeIntervalSince1970 * 1000) })
        let timers = ScheduleRuleTimers(bridge: bridge, engine: engine)
        bridge.setScheduleObserver(timers)
        let arn = try await bridge.putRule(.init(name: "every5", scheduleExpression: "rate(5 minutes)"))
        let due = Int64(Self.now.timeIntervalSince1970 * 1000) + 300_000
        #expect(engine.dueTime(kind: "rule", id: "default/every5") == due)
        // A new target keeps the timer's phase.
        _ = try await bridge.putTargets(rule: "every5", busName: nil, targets: [EventTarget(Id: "q", Arn: "arn:aws:sqs:us-east-1:123456789012:q")])
        #expect(engine.dueTime(kind: "rule", id: "default/every5") == due)

        let firing = await timers.fire(id: "default/every5", dueAt: due, now: due + 20)
        #expect(firing.next == due + 300_000)
        let delivery = try #require(firing.deliveries.first)
        let event = try #require(JSONSerialization.jsonObject(with: Data(delivery.payload.utf8)) as? [String: Any])
        #expect(event["source"] as? String == "aws.events" && event["detail-type"] as? String == "Scheduled Event")
        #expect(event["resources"] as? [String] == [arn] && (event["detail"] as? [String: Any])?.isEmpty == true)
        #expect(event["time"] as? String == "2027-01-15T08:05:00Z")
        #expect(delivery.origin.sourceArn == arn && delivery.channel == "sqs")

        // Missed times (the server was down for an hour) fire once, then the schedule resumes after now.
        let late = await timers.fire(id: "default/every5", dueAt: due, now: due + 3_600_000)
        #expect(late.deliveries.count == 1 && late.next == due + 3_900_000)

        try await bridge.setState(name: "every5", busName: nil, enabled: false)
        #expect(engine.dueTime(kind: "rule", id: "default/every5") == nil)
        #expect(await timers.fire(id: "default/every5", dueAt: due, now: due).next == nil)
        try await bridge.setState(name: "every5", busName: nil, enabled: true)
        #expect(engine.dueTime(kind: "rule", id: "default/every5") != nil)
        _ = try await bridge.removeTargets(rule: "every5", busName: nil, ids: ["q"], force: false)
        try await bridge.deleteRule(name: "every5", busName: nil, force: false)
        #expect(engine.dueTime(kind: "rule", id: "default/every5") == nil)
    }
}
