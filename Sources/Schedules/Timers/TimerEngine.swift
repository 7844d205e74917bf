import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The server's one timer engine: durable timers of every kind (EventBridge schedule rules, Scheduler
/// schedules), each fired exactly once per due time.
///
/// In memory a min-heap holds every timer's next due time and one loop sleeps until the earliest — no
/// polling scans, so idle timers cost nothing. The loop sleeps in slices of at most `maxSleep` and re-reads
/// the wall clock after each, so a clock jumping forward fires what fell due and one jumping back fires
/// nothing early. A firing's deliveries and the timer's next due time commit in one transaction with a
/// compare-and-swap on the due time that fired (`TimerStore.commitFirings`), then the delivery path is
/// woken: a crash after the commit never fires that time again, a crash before it fires it at the next start.
public final class TimerEngine: Service, Sendable {
    let store: any TimerStore
    let wake: @Sendable () -> Void
    let logger: Logger
    let clock: @Sendable () -> Int64
    let maxSleepMs: Int64
    /// Timers fired per store transaction.
    let batchSize: Int
    private let wakeup = TimerWakeup()
    private let state = Mutex(State())

    struct State {
        var heap = TimerHeap()
        var handlers: [String: any TimerHandler] = [:]
        var stopping = false
        var fired = 0
        var discarded = 0
    }

    /// - Parameters:
    ///   - wake: called after firings committed deliveries (`DeliveryService.wake`).
    ///   - clock: the wall clock in ms since 1970 (tests inject their own).
    public init(store: any TimerStore, wake: @escaping @Sendable () -> Void, logger: Logger,
                maxSleep: Duration = .seconds(60), batchSize: Int = 256,
                clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }) {
        self.store = store
        self.wake = wake
        self.logger = logger
        self.clock = clock
        self.maxSleepMs = max(1, maxSleep.components.seconds * 1000 + maxSleep.components.attoseconds / 1_000_000_000_000_000)
        self.batchSize = max(1, batchSize)
    }

    /// Registers the handler of a kind (before `run`).
    public func register(kind: String, handler: any TimerHandler) {
        state.withLock { $0.handlers[kind] = handler }
    }

    /// Creates or moves a timer (durable before it returns).
    public func schedule(kind: String, id: String, dueAt: Int64) async throws {
        try await store.upsertTimer(TimerRecord(kind: kind, id: id, dueAt: dueAt))
        noteScheduled(kind: kind, id: id, dueAt: dueAt)
    }

    /// Removes a timer (a firing under way is discarded by its compare-and-swap).
    public func cancel(kind: String, id: String) async throws {
        try await store.deleteTimer(kind: kind, id: id)
        state.withLock { $0.heap.remove(.init(kind: kind, id: id)) }
    }

    /// Puts a timer the owner already stored in its own transaction (`TimerStore` rows written with the
    /// owner's record) on the engine's schedule.
    public func noteScheduled(kind: String, id: String, dueAt: Int64) {
        let earlier = state.withLock { s -> Bool in
            let earliest = s.heap.earliest()
            s.heap.set(.init(kind: kind, id: id), dueAt: dueAt)
            return earliest.map { dueAt < $0 } ?? true
        }
        // The loop sleeps until the earliest due time: only an earlier one needs to wake it.
        if earlier { wakeup.signal() }
    }

    /// Takes a timer the owner already removed from the store off the engine's schedule.
    public func noteCancelled(kind: String, id: String) {
        state.withLock { $0.heap.remove(.init(kind: kind, id: id)) }
    }

    /// The due time the engine holds for a timer.
    public func dueTime(kind: String, id: String) -> Int64? {
        state.withLock { $0.heap.current[.init(kind: kind, id: id)] }
    }

    /// How many timers are scheduled.
    public var timerCount: Int { state.withLock { $0.heap.count } }

    /// Firings committed and firings discarded (their timer moved or went meanwhile) since start.
    public var counters: (fired: Int, discarded: Int) { state.withLock { ($0.fired, $0.discarded) } }

    /// Loads the stored timers into memory (`run` does this first; tests call it directly).
    public func load() async throws {
        let timers = try await store.allTimers()
        state.withLock { s in
            // A timer scheduled meanwhile (wiring, a first request) is newer than what was read.
            for timer in timers where s.heap.current[.init(kind: timer.kind, id: timer.id)] == nil {
                s.heap.set(.init(kind: timer.kind, id: timer.id), dueAt: timer.dueAt)
            }
        }
        logger.debug("timers loaded", metadata: ["count": "\(timers.count)"])
    }

    public func run() async throws {
        try await load()
        await withGracefulShutdownHandler {
            await self.loop()
        } onGracefulShutdown: {
            self.state.withLock { $0.stopping = true }
            self.wakeup.signal()
        }
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    private func loop() async {
        while !stopping && !Task.isCancelled {
            let outcome = await fireDue()
            if outcome == .storeFailed {
                await wakeup.wait(upTo: .seconds(1))
                continue
            }
            if outcome == .fired { continue }
            let now = clock()
            let earliest = state.withLock { $0.heap.earliest() }
            let waitMs = min(maxSleepMs, earliest.map { max(0, $0 - now) } ?? maxSleepMs)
            if waitMs > 0 {
                await wakeup.wait(upTo: .milliseconds(waitMs))
            }
        }
    }

    public enum FireOutcome: Sendable, Equatable {
        case idle, fired, storeFailed
    }

    /// Fires one batch of the timers due by the clock now: calls their handlers, commits the batch, wakes
    /// the delivery path. `.idle` when nothing was due.
    @discardableResult
    public func fireDue() async -> FireOutcome {
        let now = clock()
        let (due, handlers) = state.withLock { s in (s.heap.popDue(now: now, limit: batchSize), s.handlers) }
        guard !due.isEmpty else { return .idle }
        let firings = await withTaskGroup(of: (Int, TimerFiring?).self) { group in
            for (index, (key, dueAt)) in due.enumerated() {
                let handler = handlers[key.kind]
                group.addTask {
                    guard let handler else { return (index, nil) }
                    return (index, await handler.fire(id: key.id, dueAt: dueAt, now: now))
                }
            }
            var results = [TimerFiring?](repeating: nil, count: due.count)
            for await (index, firing) in group { results[index] = firing }
            return results
        }
        var commits: [TimerCommit] = []
        for ((key, dueAt), firing) in zip(due, firings) {
            var firing = firing ?? TimerFiring(next: nil)
            if let next = firing.next, next <= dueAt {
                logger.error("a timer handler returned a next due time not after the one that fired; the timer is removed",
                             metadata: ["kind": "\(key.kind)", "id": "\(key.id)", "dueAt": "\(dueAt)", "next": "\(next)"])
                firing.next = nil
            }
            if handlers[key.kind] == nil {
                logger.warning("a timer of a kind without a handler fell due; it waits for one", metadata: ["kind": "\(key.kind)", "id": "\(key.id)"])
                continue
            }
            commits.append(TimerCommit(kind: key.kind, id: key.id, firedDueAt: dueAt, firing: firing))
        }
        let committed: [Bool]
        do {
            committed = try await store.commitFirings(commits)
        } catch {
            logger.error("committing timer firings failed; they fire again", metadata: ["error": "\(error)", "count": "\(commits.count)"])
            state.withLock { s in
                for commit in commits { s.heap.restore(.init(kind: commit.kind, id: commit.id), dueAt: commit.firedDueAt) }
            }
            return .storeFailed
        }
        var delivered = false
        state.withLock { s in
            for (commit, ok) in zip(commits, committed) {
                let key = TimerHeap.Key(kind: commit.kind, id: commit.id)
                let unchanged = s.heap.current[key] == commit.firedDueAt
                if ok {
                    s.fired += 1
                    delivered = delivered || !commit.firing.deliveries.isEmpty
                    guard unchanged else { continue }
                    if let next = commit.firing.next { s.heap.set(key, dueAt: next) } else { s.heap.remove(key) }
                } else {
                    s.discarded += 1
                    if unchanged { s.heap.remove(key) }
                }
            }
        }
        if delivered { wake() }
        return .fired
    }
}
