import Synchronization

/// Lets at most `limit` tasks through at once; the others wait, in the order they came, without blocking a thread.
final class AsyncGate: Sendable {
    private let state: Mutex<(free: Int, waiting: [CheckedContinuation<Void, Never>])>

    init(limit: Int) {
        state = Mutex((max(1, limit), []))
    }

    /// Runs `body` once a place is free, and frees it afterwards.
    func holding<T>(_ body: () async throws -> T) async rethrows -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                guard s.free > 0 else {
                    s.waiting.append(continuation)
                    return false
                }
                s.free -= 1
                return true
            }
            if now { continuation.resume() }
        }
    }

    func leave() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard !s.waiting.isEmpty else {
                s.free += 1
                return nil
            }
            return s.waiting.removeFirst()
        }
        next?.resume()
    }

    /// Tasks waiting for a place.
    var waiting: Int { state.withLock { $0.waiting.count } }
}
