import Delivery
import Foundation
import Logging
import SQLiteStore
import Synchronization
import Testing
@testable import Schedules

/// The timer engine against the real SQLite store with an injected clock: due times fire once, a firing and
/// its deliveries commit together, a restart neither loses nor repeats a due time, and clock jumps are safe.
struct TimerEngineTests {
    /// Fires every `period` ms, one delivery per firing naming the due time; records its calls.
    final class PeriodicHandler: TimerHandler {
        let period: Int64
        let calls = Mutex<[(String, Int64, Int64)]>([])
        let onFire: (@Sendable (String) async -> Void)?

        init(period: Int64, onFire: (@Sendable (String) async -> Void)? = nil) {
            self.period = period
            self.onFire = onFire
        }

        func fire(id: String, dueAt: Int64, now: Int64) async -> TimerFiring {
            calls.withLock { $0.append((id, dueAt, now)) }
            await onFire?(id)
            let delivery = Delivery(id: "\(id)@\(dueAt)", channel: "sqs", target: "arn:aws:sqs:us-east-1:000000000000:q",
                                    payload: "\(dueAt)", origin: DeliveryOrigin(),
                                    retry: .eventBridgeDefault, acceptedAt: now)
            return TimerFiring(deliveries: [delivery], next: period > 0 ? dueAt + period : nil)
        }

        var dueTimes: [Int64] { calls.withLock { $0.map(\.1) } }
    }

    /// A store whose commits can be made to fail (a crash before the commit).
    final class FailingStore: TimerStore {
        let inner: SQLiteStore
        let failing = Mutex(true)
        init(_ inner: SQLiteStore) { self.inner = inner }
        func allTimers() async throws -> [TimerRecord] { try await inner.allTimers() }
        func upsertTimer(_ timer: TimerRecord) async throws { try await inner.upsertTimer(timer) }
        func deleteTimer(kind: String, id: String) async throws { try await inner.deleteTimer(kind: kind, id: id) }
        func commitFirings(_ commits: [TimerCommit]) async throws -> [Bool] {
            if failing.withLock({ $0 }) { throw CancellationError() }
            return try await inner.commitFirings(commits)
        }
    }

    static func temporaryPath() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("timers-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/db.sqlite"
    }

    final class Counter: Sendable {
        let value = Mutex(0)
        func increment() { value.withLock { $0 += 1 } }
        var count: Int { value.withLock { $0 } }
    }

    static func engine(_ store: any TimerStore, _ clock: TestClock, wakes: Counter? = nil,
                       maxSleep: Duration = .seconds(60)) -> TimerEngine {
        TimerEngine(store: store, wake: { wakes?.increment() }, logger: Logger(label: "test"), maxSleep: maxSleep,
                    clock: clock.function)
    }

    @Test func firesDueTimersOnceAndCommitsDeliveriesWithTheNextDueTime() async throws {
        let store = try SQLiteStore(path: try Self.temporaryPath())
        let clock = TestClock(1_000)
        let wakes = Counter()
        let engine = Self.engine(store, clock, wakes: wakes)
        let handler = PeriodicHandler(period: 1_000)
        engine.register(kind: "tick", handler: handler)
        try await engine.schedule(kind: "tick", id: "a", dueAt: 2_000)
        try await engine.schedule(kind: "tick", id: "b", dueAt: 5_000)

        #expect(await engine.fireDue() == .idle)
        clock.set(2_500)
        #expect(await engine.fireDue() == .fired)
        #expect(await engine.fireDue() == .idle)
        #expect(handler.dueTimes == [2_000])
        #expect(engine.dueTime(kind: "tick", id: "a") == 3_000)
        #expect(try await store.pendingDeliveryCount() == 1)
        #expect(wakes.count == 1)
        let stored = try await store.allTimers().sorted { $0.id < $1.id }
        #expect(stored == [TimerRecord(kind: "tick", id: "a", dueAt: 3_000), TimerRecord(kind: "tick", id: "b", dueAt: 5_000)])
    }

    @Test func aTimerWithoutANextDueTimeIsRemoved() async throws {
        let store = try SQLiteStore(path: try Self.temporaryPath())
        let clock = TestClock(0)
        let engine = Self.engine(store, clock)
        engine.register(kind: "once", handler: PeriodicHandler(period: 0))
        try await engine.schedule(kind: "once", id: "x", dueAt: 10)
        clock.set(10)
        await engine.fireDue()
        #expect(engine.timerCount == 0)
        #expect(try await store.allTimers().isEmpty)
        #expect(try await store.pendingDeliveryCount() == 1)
    }

    @Test func exactlyOnceAcrossARestart() async throws {
        let path = try Self.temporaryPath()
        let clock = TestClock(0)
        do {
            let store = try SQLiteStore(path: path)
            let engine = Self.engine(store, clock)
            engine.register(kind: "tick", handler: PeriodicHandler(period: 60_000))
            try await engine.schedule(kind: "tick", id: "a", dueAt: 1_000)
            clock.set(1_200)
            await engine.fireDue()
            try store.close()
        }
        // Restart after the commit: the due time that fired does not fire again.
        do {
            let store = try SQLiteStore(path: path)
            let engine = Self.engine(store, clock)
            let handler = PeriodicHandler(period: 60_000)
            engine.register(kind: "tick", handler: handler)
            try await engine.load()
            #expect(engine.dueTime(kind: "tick", id: "a") == 61_000)
            #expect(await engine.fireDue() == .idle)
            #expect(handler.dueTimes.isEmpty)
            #expect(try await store.pendingDeliveryCount() == 1)
            try store.close()
        }
        // A crash before the commit: the firing is lost with the process, and the due time fires at the next start.
        clock.set(70_000)
        do {
            let store = try SQLiteStore(path: path)
            let failing = FailingStore(store)
            let engine = Self.engine(failing, clock)
            let handler = PeriodicHandler(period: 60_000)
            engine.register(kind: "tick", handler: handler)
            try await engine.load()
            #expect(await engine.fireDue() == .storeFailed)
            #expect(handler.dueTimes == [61_000])
            #expect(try await store.pendingDeliveryCount() == 1)
            try store.close()
        }
        do {
            let store = try SQLiteStore(path: path)
            let engine = Self.engine(store, clock)
            let handler = PeriodicHandler(period: 60_000)
            engine.register(kind: "tick", handler: handler)
            try await engine.load()
            #expect(await engine.fireDue() == .fired)
            #expect(handler.calls.withLock { $0.map { [$0.1, $0.2] } } == [[61_000, 70_000]])
            #expect(try await store.pendingDeliveryCount() == 2)
            #expect(try await store.allTimers() == [TimerRecord(kind: "tick", id: "a", dueAt: 121_000)])
        }
    }

    @Test func aTimerCancelledWhileFiringCommitsNothing() async throws {
        let store = try SQLiteStore(path: try Self.temporaryPath())
        let clock = TestClock(0)
        let engineBox = Mutex<TimerEngine?>(nil)
        let handler = PeriodicHandler(period: 100) { id in
            try? await engineBox.withLock { $0 }!.cancel(kind: "tick", id: id)
        }
        let engine = Self.engine(store, clock)
        engineBox.withLock { $0 = engine }
        engine.register(kind: "tick", handler: handler)
        try await engine.schedule(kind: "tick", id: "a", dueAt: 10)
        clock.set(20)
        await engine.fireDue()
        #expect(handler.dueTimes == [10])
        #expect(engine.counters.discarded == 1)
        #expect(try await store.pendingDeliveryCount() == 0)
        #expect(try await store.allTimers().isEmpty)
        #expect(engine.timerCount == 0)
    }

    @Test func movingATimerReplacesItsDueTime() async throws {
        let store = try SQLiteStore(path: try Self.temporaryPath())
        let clock = TestClock(0)
        let engine = Self.engine(store, clock)
        let handler = PeriodicHandler(period: 0)
        engine.register(kind: "tick", handler: handler)
        try await engine.schedule(kind: "tick", id: "a", dueAt: 10)
        try await engine.schedule(kind: "tick", id: "a", dueAt: 50)
        clock.set(20)
        #expect(await engine.fireDue() == .idle)
        clock.set(50)
        #expect(await engine.fireDue() == .fired)
        #expect(handler.dueTimes == [50])
    }

    @Test func aClockJumpingBackFiresNothingEarlyAndJumpingForwardFiresWhatFellDue() async throws {
        let store = try SQLiteStore(path: try Self.temporaryPath())
        let clock = TestClock(1_000_000)
        let (fired, continuation) = AsyncStream<String>.makeStream()
        let handler = PeriodicHandler(period: 0) { id in continuation.yield(id) }
        // Slices of 20 ms: the loop re-reads the (injected) wall clock that often.
        let engine = Self.engine(store, clock, maxSleep: Duration.milliseconds(20))
        engine.register(kind: "tick", handler: handler)
        try await engine.schedule(kind: "tick", id: "later", dueAt: 1_000_000 + 3_600_000)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await engine.run() }
            clock.set(500_000)  // backwards: nothing is due
            #expect(await engine.fireDue() == .idle)
            clock.set(1_000_000 + 3_600_000 + 1)  // forward by an hour: the loop notices within a slice
            var iterator = fired.makeAsyncIterator()
            #expect(await iterator.next() == "later")
            group.cancelAll()
        }
        #expect(handler.dueTimes == [1_000_000 + 3_600_000])
    }

    @Test func tenThousandIdleTimersWaitForTheEarliest() async throws {
        let store = try SQLiteStore(path: try Self.temporaryPath())
        let clock = TestClock(0)
        let engine = Self.engine(store, clock)
        let handler = PeriodicHandler(period: 0)
        engine.register(kind: "tick", handler: handler)
        for index in 0..<10_000 {
            try await store.upsertTimer(TimerRecord(kind: "tick", id: "t\(index)", dueAt: 1_000_000 + Int64(index) * 7 % 10_000))
        }
        try await engine.load()
        #expect(engine.timerCount == 10_000)
        #expect(await engine.fireDue() == .idle)
        clock.set(1_000_000 + 9)
        while await engine.fireDue() == .fired {}
        #expect(handler.dueTimes.count == 10)
        #expect(engine.timerCount == 9_990)
    }
}
