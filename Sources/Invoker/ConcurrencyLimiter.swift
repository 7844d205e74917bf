import Catalog
import Synchronization

/// Counts invocations in flight against a limit that may change while they run.
final class ConcurrencyLimiter: Sendable {
    private let limitValue: Atomic<Int>
    private let inFlight = Atomic<Int>(0)
    /// The most in flight since `takePeak` was last asked (a cluster keeps that many slots leased).
    private let peak = Atomic<Int>(0)

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
            if exchanged {
                peak.max(current + 1, ordering: .relaxed)
                return true
            }
            current = original
        }
        return false
    }

    func release() {
        inFlight.subtract(1, ordering: .acquiringAndReleasing)
    }

    var current: Int { inFlight.load(ordering: .relaxed) }

    /// The most in flight at once since the last call (at least what is in flight now); starts the next period.
    func takePeak() -> Int {
        let now = current
        return max(now, peak.exchange(now, ordering: .relaxed))
    }
}

/// The account's concurrency split as Lambda splits it: each function with reserved concurrency has a
/// pool of its own; every other function shares what is left (the unreserved pool).
final class ConcurrencyPools: Sendable {
    let unreserved: ConcurrencyLimiter
    private let reserved = Mutex<[String: ConcurrencyLimiter]>([:])
    /// In a cluster: the slots this node leased of each pool, which bound it besides the pools' limits.
    private let cluster = Mutex<ClusterConcurrency?>(nil)

    /// The unreserved pool's name among leased pools (function names cannot hold `*`).
    static let unreservedPool = "*unreserved"

    init(accountLimit: Int) {
        unreserved = ConcurrencyLimiter(limit: accountLimit)
    }

    /// Makes the limits cluster-wide: from now on a slot beyond those this node leased is leased first.
    func share(with leases: ClusterConcurrency) {
        cluster.withLock { $0 = leases }
    }

    /// Takes a slot for one invocation of `function`, or throws the throttle Lambda returns. Provisioned
    /// concurrency is held inside the function's reservation: invocations of versions without it only get
    /// what is left (`heldForProvisioned`, asked only of functions with a reservation).
    func acquire(_ function: String, heldForProvisioned: () -> Int) async throws -> ConcurrencyLimiter {
        if let own = reserved.withLock({ $0[function] }) {
            let held = heldForProvisioned()
            guard await take(own, pool: function, cap: held > 0 ? own.limit - held : own.limit) else {
                throw LambdaError.tooManyRequests(reason: "ReservedFunctionConcurrentInvocationLimitExceeded", message: "Rate Exceeded.")
            }
            return own
        }
        guard await take(unreserved, pool: Self.unreservedPool, cap: unreserved.limit) else {
            throw LambdaError.tooManyRequests(reason: "ConcurrentInvocationLimitExceeded", message: "Rate Exceeded.")
        }
        return unreserved
    }

    /// A slot of `limiter` within `cap` and, in a cluster, within what this node leased of `pool` (leasing more
    /// when the pool has room cluster-wide; the store is asked only when the node's slots are all in use).
    private func take(_ limiter: ConcurrencyLimiter, pool: String, cap: Int) async -> Bool {
        guard let cluster = cluster.withLock({ $0 }), !cluster.isDegraded else { return limiter.tryAcquire(cap: cap) }
        while true {
            let leased = cluster.held(pool)
            if limiter.tryAcquire(cap: min(cap, leased)) { return true }
            guard limiter.current < cap else { return false }
            guard await cluster.lease(pool, limit: limiter.limit, beyond: leased) > leased else {
                // Out of reach of the store: this node's own limit.
                return cluster.isDegraded ? limiter.tryAcquire(cap: cap) : false
            }
        }
    }

    /// Every pool's limiter by leased-pool name (what a cluster node renews).
    func limiters() -> [String: ConcurrencyLimiter] {
        var all = reserved.withLock { $0 }
        all[Self.unreservedPool] = unreserved
        return all
    }

    /// The functions with a reservation now.
    var reservedFunctions: [String] {
        reserved.withLock { Array($0.keys) }
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
