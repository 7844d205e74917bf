import Synchronization

/// Counts invocations in flight against the account's concurrency limit.
final class ConcurrencyLimiter: Sendable {
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; false when all `limit` are taken.
    func tryAcquire() -> Bool {
        var current = inFlight.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = inFlight.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release() {
        inFlight.subtract(1, ordering: .acquiringAndReleasing)
    }

    var current: Int { inFlight.load(ordering: .relaxed) }
}
