import Foundation
import Synchronization

/// Wakes waiters by key: a long poll on an empty queue sleeps here until a send to that queue (or the
/// async dispatcher until an event arrives), or its deadline, whichever comes first. Each key has a
/// generation bumped by every signal, so a waiter that read the generation before looking cannot miss a
/// signal that lands in between.
public final class WakeSignals: Sendable {
    private struct Waiter {
        let queue: String
        let continuation: CheckedContinuation<Void, Never>
    }
    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        var generations: [String: UInt64] = [:]
        var nextId: UInt64 = 0
    }
    private let state = Mutex(State())

    public init() {}

    public func generation(of queue: String) -> UInt64 {
        state.withLock { $0.generations[queue] ?? 0 }
    }

    /// Waits for a signal on `queue` after generation `seen`, or `timeout`, whichever comes first.
    public func wait(on queue: String, since seen: UInt64, timeout: Duration) async {
        let id = state.withLock { s -> UInt64 in
            s.nextId += 1
            return s.nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let missed = state.withLock { s -> Bool in
                    if (s.generations[queue] ?? 0) != seen { return true }
                    s.waiters[id] = Waiter(queue: queue, continuation: continuation)
                    return false
                }
                if missed {
                    continuation.resume()
                    return
                }
                Task {
                    try? await Task.sleep(for: timeout)
                    self.resume(id)
                }
            }
        } onCancel: {
            self.resume(id)
        }
    }

    private func resume(_ id: UInt64) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
    }

    /// Wakes everyone waiting on `queue`.
    public func signal(_ queue: String) {
        let woken = state.withLock { s -> [Waiter] in
            s.generations[queue, default: 0] &+= 1
            let ids = s.waiters.filter { $0.value.queue == queue }.map(\.key)
            return ids.compactMap { s.waiters.removeValue(forKey: $0) }
        }
        for waiter in woken { waiter.continuation.resume() }
    }
}
