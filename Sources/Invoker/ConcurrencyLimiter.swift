import Catalog
import Synchronization

/// Counts invocations in flight against a limit that may change while they run.
final class ConcurrencyLimiter: Sendable {
    private let limitValue: Atomic<Int>
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) {
        self.limitValue = Atomic(limit)
    }

    var limit: Int { limitValue.load(ordering: .relaxed) }

    func setLimit(_ value: Int) {
        limitValue.store(value, ordering: .relaxed)
    }

    /// Takes a slot; false when all `limit` (or the lower `cap`) are taken.
    func tryAcquire(cap: Int? = nil) -> Bool {
        let limit = min(self.limit, cap ?? .max)
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

/// The account's concurrency split as Lambda splits it: each function with reserved concurrency has a
/// pool of its own; every other function shares what is left (the unreserved pool).
final class ConcurrencyPools: Sendable {
    let unreserved: ConcurrencyLimiter
    private let reserved = Mutex<[String: ConcurrencyLimiter]>([:])

    init(accountLimit: Int) {
        unreserved = ConcurrencyLimiter(limit: accountLimit)
    }

    /// Takes a slot for one invocation of `function`, or throws the throttle Lambda returns. Provisioned
    /// concurrency is held inside the function's reservation: invocations of versions without it only get
    /// what is left (`heldForProvisioned`, asked only of functions with a reservation).
    func acquire(_ function: String, heldForProvisioned: () -> Int) throws -> ConcurrencyLimiter {
        if let own = reserved.withLock({ $0[function] }) {
            let held = heldForProvisioned()
            guard own.tryAcquire(cap: held > 0 ? own.limit - held : nil) else {
                throw LambdaError.tooManyRequests(reason: "ReservedFunctionConcurrentInvocationLimitExceeded", message: "Rate Exceeded.")
            }
            return own
        }
        guard unreserved.tryAcquire() else {
            throw LambdaError.tooManyRequests(reason: "ConcurrentInvocationLimitExceeded", message: "Rate Exceeded.")
        }
        return unreserved
    }

    /// Sets (nil: removes) `function`'s reservation and the unreserved pool's new size.
    func reserve(_ function: String, _ value: Int?, unreserved size: Int) {
        reserved.withLock { pools in
            if let value {
                if let existing = pools[function] { existing.setLimit(value) } else { pools[function] = ConcurrencyLimiter(limit: value) }
            } else {
                pools[function] = nil
            }
        }
        unreserved.setLimit(size)
    }
}
