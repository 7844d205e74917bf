import Delivery
import Foundation
@testable import Schedules
import Testing

extension Fixtures {
    static func scheduleGroup(_ name: String, tags: [String: String] = [:]) -> ScheduleGroup {
        ScheduleGroup(name: name, arn: "arn:aws:scheduler:us-east-1:000000000000:schedule-group/\(name)",
                      creationDate: Date(timeIntervalSince1970: 1_700_000_000), lastModificationDate: Date(timeIntervalSince1970: 1_700_000_000),
                      tags: tags)
    }

    static func schedule(_ name: String, group: String = "default", expression: String = "rate(5 minutes)") -> Schedule {
        Schedule(name: name, groupName: group, arn: "arn:aws:scheduler:us-east-1:000000000000:schedule/\(group)/\(name)",
                 scheduleExpression: expression, scheduleExpressionTimezone: "Europe/Berlin", startDate: nil,
                 endDate: Date(timeIntervalSince1970: 1_800_000_000), description: "d", state: "ENABLED", kmsKeyArn: nil,
                 target: ScheduleTarget(Arn: "arn:aws:sqs:us-east-1:000000000000:q", RoleArn: "arn:aws:iam::000000000000:role/r", Input: "{}"),
                 flexibleTimeWindow: FlexibleTimeWindow(Mode: "OFF"), actionAfterCompletion: "NONE",
                 creationDate: Date(timeIntervalSince1970: 1_700_000_000), lastModificationDate: Date(timeIntervalSince1970: 1_700_000_000),
                 clientToken: "token", anchor: 1_700_000_000_000)
    }
}

extension StoreContract {
    /// EventBridge Scheduler's groups and schedules, each schedule written with its timer.
    @Suite struct Schedules {
        typealias SchedulesAndTimers = any ScheduleStore & TimerStore & DeliveryStore

        static func timer(_ group: String, _ name: String, _ due: Int64) -> TimerRecord {
            TimerRecord(kind: ScheduleTimerID.kind, id: ScheduleTimerID.id(group: group, name: name), dueAt: due)
        }

        @Test(arguments: StoreKind.allCases) func groupsAreInsertedListedReplaced(kind: StoreKind) async throws {
            try await kind.withStoreServing((any ScheduleStore).self) { (store: any ScheduleStore) async throws -> Void in
                #expect(try await store.scheduleGroups().isEmpty)
                #expect(try await store.insertScheduleGroup(Fixtures.scheduleGroup("default")))
                #expect(try await store.insertScheduleGroup(Fixtures.scheduleGroup("B")))
                #expect(try await store.insertScheduleGroup(Fixtures.scheduleGroup("a")))
                // A second insert of a name is refused and changes nothing.
                #expect(try await !store.insertScheduleGroup(Fixtures.scheduleGroup("a", tags: ["x": "y"])))
                #expect(try await store.scheduleGroup(named: "a") == Fixtures.scheduleGroup("a"))
                #expect(try await store.scheduleGroup(named: "none") == nil)
                #expect(try await store.scheduleGroups().map(\.name) == ["B", "a", "default"])
                try await store.replaceScheduleGroup(Fixtures.scheduleGroup("a", tags: ["x": "y"]))
                try await store.replaceScheduleGroup(Fixtures.scheduleGroup("none"))
                #expect(try await store.scheduleGroup(named: "a")?.tags == ["x": "y"])
                #expect(try await store.scheduleGroup(named: "none") == nil)
            }
        }

        @Test(arguments: StoreKind.allCases) func schedulesAreSavedWithTheirTimers(kind: StoreKind) async throws {
            try await kind.withStoreServing(SchedulesAndTimers.self) { (store: SchedulesAndTimers) async throws -> Void in
                let s = Fixtures.schedule("s")
                #expect(try await store.saveSchedule(s, timerDueAt: 100, mustExist: false))
                #expect(try await store.schedule(group: "default", name: "s") == s)
                #expect(try await store.allTimers() == [Self.timer("default", "s", 100)])
                // Create of an existing name: refused, schedule and timer unchanged.
                #expect(try await !store.saveSchedule(Fixtures.schedule("s", expression: "rate(1 hour)"), timerDueAt: 999, mustExist: false))
                #expect(try await store.schedule(group: "default", name: "s") == s)
                #expect(try await store.allTimers() == [Self.timer("default", "s", 100)])
                // Replace of a missing one: refused, no timer.
                #expect(try await !store.saveSchedule(Fixtures.schedule("t"), timerDueAt: 5, mustExist: true))
                #expect(try await store.schedule(group: "default", name: "t") == nil)
                #expect(try await store.allTimers() == [Self.timer("default", "s", 100)])
                // Replace moves the timer, or removes it when there is no next time.
                let hourly = Fixtures.schedule("s", expression: "rate(1 hour)")
                #expect(try await store.saveSchedule(hourly, timerDueAt: 300, mustExist: true))
                #expect(try await store.schedule(group: "default", name: "s") == hourly)
                #expect(try await store.allTimers() == [Self.timer("default", "s", 300)])
                #expect(try await store.saveSchedule(hourly, timerDueAt: nil, mustExist: true))
                #expect(try await store.allTimers().isEmpty)
                // A create without a next time has no timer.
                #expect(try await store.saveSchedule(Fixtures.schedule("u"), timerDueAt: nil, mustExist: false))
                #expect(try await store.allTimers().isEmpty)
                #expect(try await store.saveSchedule(Fixtures.schedule("v"), timerDueAt: 7, mustExist: false))

                #expect(try await store.deleteSchedule(group: "default", name: "v"))
                #expect(try await !store.deleteSchedule(group: "default", name: "v"))
                #expect(try await store.schedule(group: "default", name: "v") == nil)
                #expect(try await store.allTimers().isEmpty)
            }
        }

        @Test(arguments: StoreKind.allCases) func schedulesAreListedByGroupAndName(kind: StoreKind) async throws {
            try await kind.withStoreServing((any ScheduleStore).self) { (store: any ScheduleStore) async throws -> Void in
                for (group, name) in [("g2", "a"), ("g1", "b"), ("g1", "B"), ("default", "z"), ("g1", "a")] {
                    #expect(try await store.saveSchedule(Fixtures.schedule(name, group: group), timerDueAt: 1, mustExist: false))
                }
                #expect(try await store.schedules(group: nil).map { "\($0.groupName)/\($0.name)" } == ["default/z", "g1/B", "g1/a", "g1/b", "g2/a"])
                #expect(try await store.schedules(group: "g1").map(\.name) == ["B", "a", "b"])
                #expect(try await store.schedules(group: "none").isEmpty)
            }
        }

        /// Deleting a group deletes its schedules and their timers, nothing of other groups.
        @Test(arguments: StoreKind.allCases) func deletingAGroupDeletesItsSchedulesAndTimers(kind: StoreKind) async throws {
            try await kind.withStoreServing(SchedulesAndTimers.self) { (store: SchedulesAndTimers) async throws -> Void in
                #expect(try await store.deleteScheduleGroup(named: "g") == nil)
                #expect(try await store.insertScheduleGroup(Fixtures.scheduleGroup("g")))
                #expect(try await store.insertScheduleGroup(Fixtures.scheduleGroup("h")))
                for name in ["b", "a"] { #expect(try await store.saveSchedule(Fixtures.schedule(name, group: "g"), timerDueAt: 10, mustExist: false)) }
                #expect(try await store.saveSchedule(Fixtures.schedule("a", group: "h"), timerDueAt: 20, mustExist: false))
                try await store.upsertTimer(TimerRecord(kind: "rule", id: "g/a", dueAt: 30))
                #expect(try await store.deleteScheduleGroup(named: "g")?.sorted() == ["a", "b"])
                #expect(try await store.scheduleGroup(named: "g") == nil)
                #expect(try await store.schedules(group: "g").isEmpty)
                #expect(try await store.schedules(group: nil).map(\.arn) == [Fixtures.schedule("a", group: "h").arn])
                #expect(Set(try await store.allTimers()) == [Self.timer("h", "a", 20), TimerRecord(kind: "rule", id: "g/a", dueAt: 30)])
                #expect(try await store.deleteScheduleGroup(named: "g") == nil)
            }
        }

        /// A one-time schedule that deletes itself after completion goes with the firing that ends its timer.
        @Test(arguments: StoreKind.allCases) func aFiringCanRemoveItsSchedule(kind: StoreKind) async throws {
            try await kind.withStoreServing(SchedulesAndTimers.self) { (store: SchedulesAndTimers) async throws -> Void in
                #expect(try await store.saveSchedule(Fixtures.schedule("once", expression: "at(2026-01-01T00:00:00)"), timerDueAt: 100,
                                                     mustExist: false))
                #expect(try await store.saveSchedule(Fixtures.schedule("kept"), timerDueAt: 100, mustExist: false))
                let id = ScheduleTimerID.id(group: "default", name: "once")
                // A stale firing removes nothing.
                #expect(try await store.commitFirings([
                    TimerCommit(kind: ScheduleTimerID.kind, id: id, firedDueAt: 99, firing: TimerFiring(next: nil, removeOwner: true)),
                ]) == [false])
                #expect(try await store.schedule(group: "default", name: "once") != nil)
                #expect(try await store.commitFirings([
                    TimerCommit(kind: ScheduleTimerID.kind, id: id, firedDueAt: 100,
                                firing: TimerFiring(deliveries: [Fixtures.delivery("d", due: 100)], next: nil, removeOwner: true)),
                ]) == [true])
                #expect(try await store.schedule(group: "default", name: "once") == nil)
                #expect(try await store.schedules(group: nil).map(\.name) == ["kept"])
                #expect(try await store.allTimers() == [Self.timer("default", "kept", 100)])
                #expect(try await store.pendingDeliveryCount() == 1)
            }
        }
    }
}
