import Synchronization

/// Runs IAM writes one at a time, in arrival order, across their awaits on the store: a write checks IAM's rules
/// against the snapshot, writes, and publishes the next snapshot before the following write looks at it.
/// (An actor would not do: it lets another call in while one awaits the store.)
final class WriteSerializer: Sendable {
    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func run<T>(_ body: () async throws -> T) async throws -> T {
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
