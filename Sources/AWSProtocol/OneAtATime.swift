import Synchronization

/// Runs bodies one at a time, in arrival order, across their awaits (IAM's writes: each checks IAM's rules against
/// the snapshot, writes the store and publishes the next snapshot before the following one looks; a node's
/// concurrency leases: each round trip to the database sees the slots the previous one left).
/// (An actor would not do: it lets another call in while one awaits.)
public final class OneAtATime: Sendable {
    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func run<T>(_ body: () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let runNow = state.withLock { s in
                if s.busy {
                    s.waiting.append(continuation)
                    return false
                }
                s.busy = true
                return true
            }
            if runNow { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiting.isEmpty {
                s.busy = false
                return nil
            }
            return s.waiting.removeFirst()
        }
        // The lock passes straight to the next writer (busy stays true).
        next?.resume()
    }
}

/// The first of two answers, whichever comes first; the other one's task is cancelled and not awaited (for a call that
/// may not notice its cancellation, raced against a deadline or a watch).
public func firstAnswer<T: Sendable>(_ one: @escaping @Sendable () async -> T, _ other: @escaping @Sendable () async -> T) async -> T {
    await withCheckedContinuation { continuation in
        let state = Mutex<(waiting: CheckedContinuation<T, Never>?, tasks: [Task<Void, Never>])>((continuation, []))
        let answer: @Sendable (T) -> Void = { value in
            let losers = state.withLock { s -> [Task<Void, Never>] in
                guard let waiting = s.waiting else { return [] }
                waiting.resume(returning: value)
                s.waiting = nil
                return s.tasks
            }
            for task in losers { task.cancel() }
        }
        let tasks = [Task { answer(await one()) }, Task { answer(await other()) }]
        let answered = state.withLock { s -> Bool in
            s.tasks = tasks
            return s.waiting == nil
        }
        if answered { for task in tasks { task.cancel() } }
    }
}
