import Delivery
import Foundation
import Logging
import SQLiteStore
import Testing
@testable import Schedules

/// Scheduler's schedules on the timer engine with an injected clock and the real store: first due times
/// (rate from creation or StartDate, cron in a time zone), EndDate, flexible windows, downtime, the
/// deliveries a firing produces, ActionAfterCompletion and DISABLED.
struct ScheduleDirectoryTests {
    static let queue = "arn:aws:sqs:us-east-1:000000000000:q"
    static let role = "arn:aws:iam::000000000000:role/scheduler"
    /// 2026-03-01T00:00:00Z.
    static let start: Int64 = 1_772_323_200_000

    struct Fixture {
        let store: SQLiteStore
        let clock: TestClock
        let engine: TimerEngine
        let directory: ScheduleDirectory

        init() async throws {
            store = try SQLiteStore(path: try TimerEngineTests.temporaryPath())
            clock = TestClock(ScheduleDirectoryTests.start)
            engine = TimerEngine(store: store, wake: {}, logger: Logger(label: "test"), clock: clock.function)
            directory = ScheduleDirectory(store: store, engine: engine, region: "us-east-1", accountId: "000000000000",
                                          logger: Logger(label: "test"), clock: clock.function)
            try await directory.prepare()
        }

        func due(_ name: String, group: String = "default") -> Int64? {
            engine.dueTime(kind: ScheduleTimerID.kind, id: ScheduleTimerID.id(group: group, name: name))
        }

        /// Moves the clock and fires what is due; the deliveries committed, oldest first.
        func advance(to ms: Int64) async throws -> [Delivery] {
            clock.set(ms)
            while await engine.fireDue() == .fired {}
            return try await store.claimDueDeliveries(now: Int64.max, leaseUntil: Int64.max, limit: 1000)
        }
    }

    static func request(_ expression: String, zone: String? = nil, start: Int64? = nil, end: Int64? = nil,
                        window: FlexibleTimeWindow = FlexibleTimeWindow(Mode: "OFF"), state: String? = nil,
                        action: String? = nil, target: ScheduleTarget = ScheduleTarget(Arn: queue, RoleArn: role)) -> ScheduleRequest {
        ScheduleRequest(ScheduleExpression: expression, StartDate: start.map { Double($0) / 1000 }, EndDate: end.map { Double($0) / 1000 },
                        ScheduleExpressionTimezone: zone, State: state, Target: target, FlexibleTimeWindow: window,
                        ActionAfterCompletion: action)
    }

    @Test func aRateScheduleStartsAtOnceAndEndsAtItsEndDate() async throws {
        let f = try await Fixture()
        _ = try await f.directory.createSchedule(name: "r", Self.request("rate(10 minutes)", end: Self.start + 25 * 60_000,
                                                                          action: "DELETE"))
        #expect(f.due("r") == Self.start)
        #expect(try await f.advance(to: Self.start).count == 1)
        #expect(f.due("r") == Self.start + 600_000)
        #expect(try await f.advance(to: Self.start + 600_000).count == 1)
        #expect(try await f.advance(to: Self.start + 1_200_000).count == 1)
        // The next period would pass the EndDate: the schedule completed and, with DELETE, is gone.
        #expect(f.due("r") == nil)
        await #expect(throws: SchedulerError.notFound("Schedule r does not exist.")) {
            _ = try await f.directory.schedule(name: "r", group: nil)
        }
    }

    @Test func aRateScheduleWithAStartDateCountsFromIt() async throws {
        let f = try await Fixture()
        _ = try await f.directory.createSchedule(name: "later", Self.request("rate(1 hour)", start: Self.start + 90 * 60_000))
        #expect(f.due("later") == Self.start + 90 * 60_000)
        // A StartDate in the past: the next period counted from it.
        _ = try await f.directory.createSchedule(name: "earlier", Self.request("rate(1 hour)", start: Self.start - 30 * 60_000))
        #expect(f.due("earlier") == Self.start + 30 * 60_000)
    }

    @Test func aCronScheduleFiresInItsTimeZoneAcrossTheSpringForward() async throws {
        let f = try await Fixture()
        _ = try await f.directory.createSchedule(name: "c", Self.request("cron(30 2 * * ? *)", zone: "Europe/Berlin",
                                                                          start: Self.start + 27 * 86_400_000))
        // StartDate 2026-03-28T00:00Z: 02:30 CET on the 28th is 01:30Z.
        let first = Self.start + 27 * 86_400_000 + 90 * 60_000
        #expect(f.due("c") == first)
        #expect(try await f.advance(to: first).count == 1)
        // 02:30 does not exist on the 29th: the next is 02:30 CEST on the 30th (00:30Z).
        #expect(f.due("c") == Self.start + 29 * 86_400_000 + 30 * 60_000)
    }

    @Test func aFlexibleWindowSpreadsDeterministicallyWithinTheWindow() async throws {
        let f = try await Fixture()
        let window = FlexibleTimeWindow(Mode: "FLEXIBLE", MaximumWindowInMinutes: 15)
        _ = try await f.directory.createSchedule(name: "flex", Self.request("cron(0 * * * ? *)", window: window))
        // 00:00 matches the expression: the first nominal time is the creation time itself.
        let nominal = Self.start
        let due = try #require(f.due("flex"))
        #expect(due >= nominal && due < nominal + 15 * 60_000)
        let schedule = try await f.directory.schedule(name: "flex", group: nil)
        let timing = try ScheduleTiming(schedule)
        #expect(timing.due(nominal) == due)
        #expect(timing.nominal(forDue: due) == nominal)
        #expect(try await f.advance(to: due).count == 1)
        let next = try #require(f.due("flex"))
        #expect(next >= nominal + 3_600_000 && next < nominal + 3_600_000 + 15 * 60_000)
    }

    @Test func afterDowntimeAMissedTimeFiresOnceAndTheRestAreSkipped() async throws {
        let f = try await Fixture()
        _ = try await f.directory.createSchedule(name: "m", Self.request("rate(1 minute)"))
        #expect(try await f.advance(to: Self.start).count == 1)
        // Down for an hour: one late firing, then the schedule carries on from now.
        let deliveries = try await f.advance(to: Self.start + 3_600_000 + 10_000)
        #expect(deliveries.count == 1)
        #expect(f.due("m") == Self.start + 3_660_000)
    }

    @Test func aTimeMissedBeyondTheMaximumEventAgeIsSkipped() async throws {
        let f = try await Fixture()
        let target = ScheduleTarget(Arn: Self.queue, RoleArn: Self.role, RetryPolicy: ScheduleRetryPolicy(MaximumEventAgeInSeconds: 60))
        _ = try await f.directory.createSchedule(name: "old", Self.request("at(2026-03-01T00:10:00)", target: target))
        #expect(try await f.advance(to: Self.start + 20 * 60_000).isEmpty)
        #expect(f.due("old") == nil)
    }

    @Test func aFiringDeliversTheInputAsTheScheduleRoleWithItsPolicies() async throws {
        let f = try await Fixture()
        let target = ScheduleTarget(Arn: "arn:aws:sqs:us-east-1:000000000000:q.fifo", RoleArn: Self.role,
                                    Input: #"{"at":"<aws.scheduler.scheduled-time>"}"#,
                                    RetryPolicy: ScheduleRetryPolicy(MaximumEventAgeInSeconds: 600, MaximumRetryAttempts: 3),
                                    DeadLetterConfig: ScheduleDeadLetterConfig(Arn: "arn:aws:sqs:us-east-1:000000000000:dlq"),
                                    SqsParameters: ScheduleSqsParameters(MessageGroupId: "g1"))
        let arn = try await f.directory.createSchedule(name: "d", Self.request("at(2026-03-01T01:00:00)", zone: "Europe/Berlin",
                                                                               target: target))
        let deliveries = try await f.advance(to: Self.start)
        let delivery = try #require(deliveries.first)
        #expect(deliveries.count == 1)
        #expect(delivery.channel == "sqs")
        #expect(delivery.payload == #"{"at":"2026-03-01T00:00:00Z"}"#)
        #expect(delivery.messageGroupId == "g1")
        #expect(delivery.deduplicationId != nil)
        #expect(delivery.origin == DeliveryOrigin(servicePrincipal: "scheduler.amazonaws.com", sourceArn: arn,
                                                  sourceAccount: "000000000000", roleArn: Self.role))
        #expect(delivery.retry.maximumRetries == 3 && delivery.retry.maximumAgeSeconds == 600)
        #expect(delivery.deadLetter?.arn == "arn:aws:sqs:us-east-1:000000000000:dlq")
        #expect(delivery.deadLetter?.attributes["SCHEDULE_ARN"] == .string(arn))
        // ActionAfterCompletion NONE: the completed one-time schedule stays.
        #expect(try await f.directory.schedule(name: "d", group: nil).state == "ENABLED")
    }

    @Test func anEventBusTargetGetsAPutEventsEntryAndLambdaGetsAnEmptyObject() async throws {
        let f = try await Fixture()
        let bus = ScheduleTarget(Arn: "arn:aws:events:us-east-1:000000000000:event-bus/default", RoleArn: Self.role,
                                 Input: #"{"k":1}"#, EventBridgeParameters: ScheduleEventBridgeParameters(DetailType: "tick", Source: "my.app"))
        let arn = try await f.directory.createSchedule(name: "bus", Self.request("at(2026-03-01T00:00:00)", target: bus))
        let function = ScheduleTarget(Arn: "arn:aws:lambda:us-east-1:000000000000:function:f", RoleArn: Self.role)
        _ = try await f.directory.createSchedule(name: "fn", Self.request("at(2026-03-01T00:00:00)", target: function))
        let deliveries = try await f.advance(to: Self.start)
        let byChannel = Dictionary(uniqueKeysWithValues: deliveries.map { ($0.channel, $0) })
        struct Entry: Decodable, Equatable {
            var Source: String
            var DetailType: String
            var Detail: String
            var Resources: [String]
        }
        let entry = try JSONDecoder().decode(Entry.self, from: Data(try #require(byChannel["events"]).payload.utf8))
        #expect(entry == Entry(Source: "my.app", DetailType: "tick", Detail: #"{"k":1}"#, Resources: [arn]))
        #expect(byChannel["lambda"]?.payload == "{}")
    }

    @Test func aDisabledScheduleHasNoTimerUntilEnabled() async throws {
        let f = try await Fixture()
        _ = try await f.directory.createSchedule(name: "x", Self.request("rate(5 minutes)", state: "DISABLED"))
        #expect(f.due("x") == nil)
        #expect(try await f.advance(to: Self.start + 3_600_000).isEmpty)
        _ = try await f.directory.updateSchedule(name: "x", Self.request("rate(5 minutes)"))
        #expect(f.due("x") == Self.start + 3_600_000)
        try await f.directory.deleteSchedule(name: "x", group: nil)
        #expect(f.due("x") == nil)
        #expect(try await f.store.allTimers().isEmpty)
    }

    @Test func badInputIsRefusedNamingTheFieldAndChangesNothing() async throws {
        let f = try await Fixture()
        _ = try await f.directory.createSchedule(name: "keep", Self.request("rate(5 minutes)"))
        let before = try await f.directory.schedule(name: "keep", group: nil)
        await #expect(throws: SchedulerError.self) {
            _ = try await f.directory.updateSchedule(name: "keep", Self.request("rate(5 minutes)", zone: "Nowhere/City"))
        }
        await #expect(throws: SchedulerError.conflict("Schedule keep already exists.")) {
            _ = try await f.directory.createSchedule(name: "keep", Self.request("rate(1 hour)"))
        }
        #expect(try await f.directory.schedule(name: "keep", group: nil) == before)
        do {
            _ = try await f.directory.createSchedule(name: "bad name!", Self.request("rate(5 minutes)"))
            Issue.record("an invalid name was accepted")
        } catch let error as SchedulerError {
            guard case .validation(let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("'name'"))
        }
    }
}
