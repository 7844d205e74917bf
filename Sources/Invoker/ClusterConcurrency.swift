import Catalog
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The concurrency slots this node of a cluster holds, leased from the shared store (`ConcurrencyLeaseStore`) so that
/// reserved concurrency and the account's unreserved pool are limits of the cluster, not of each node.
///
/// An invocation beyond the slots held leases more (one round trip, only then); every `renewInterval` the node keeps
/// the most it ran at once since the last renewal and gives the rest back, so idle slots return to the cluster within
/// about two intervals, and it extends its leases, which lapse `leaseDuration` after a node stops renewing (it died).
/// When the store cannot be reached, the node runs within the slots it holds and throttles beyond them.
public final class ClusterConcurrency: Service, Sendable {
    let store: any ConcurrencyLeaseStore
    let node: String
    let logger: Logger
    let renewInterval: Duration
    let leaseDuration: TimeInterval
    private let slots = Mutex<[String: Int]>([:])
    /// Leases are granted one round trip at a time per node, so the node's count in the store stays what it holds.
    private let leasing = AsyncSerializer()
    /// The pools' limiters, read at each renewal.
    let limiters: @Sendable () -> [String: ConcurrencyLimiter]

    init(store: any ConcurrencyLeaseStore, node: String, logger: Logger, renewInterval: Duration, leaseDuration: TimeInterval,
         limiters: @escaping @Sendable () -> [String: ConcurrencyLimiter]) {
        self.store = store
        self.node = node
        self.logger = logger
        self.renewInterval = renewInterval
        self.leaseDuration = leaseDuration
        self.limiters = limiters
    }

    /// Slots of `pool` this node holds.
    func held(_ pool: String) -> Int {
        slots.withLock { $0[pool] ?? 0 }
    }

    /// Asks for one more slot of `pool` than `beyond` (unless another invocation got it meanwhile); returns the slots
    /// held after.
    func lease(_ pool: String, limit: Int, beyond: Int) async -> Int {
        await leasing.run {
            let current = held(pool)
            if current > beyond { return current }
            do {
                let now = Date()
                let granted = try await store.leaseConcurrency(pool: pool, node: node, count: 1, limit: limit, now: now,
                                                               until: now.addingTimeInterval(leaseDuration))
                slots.withLock { $0[pool] = granted }
                return granted
            } catch {
                logger.warning("leasing a concurrency slot failed; running within the slots held", metadata: [
                    "pool": "\(pool)", "error": "\(error)"])
                return current
            }
        }
    }

    /// Keeps what each pool needed since the last renewal, gives the rest back and extends the leases.
    func renew() async {
        await leasing.run {
            let limiters = self.limiters()
            let held = slots.withLock { slots -> [String: Int] in
                for (pool, count) in slots {
                    let needed = limiters[pool]?.takePeak() ?? 0
                    slots[pool] = min(count, needed)
                }
                slots = slots.filter { $0.value > 0 }
                return slots
            }
            do {
                try await store.renewConcurrency(node: node, held: held, until: Date().addingTimeInterval(leaseDuration))
            } catch {
                logger.warning("renewing concurrency leases failed", metadata: ["error": "\(error)"])
            }
        }
    }

    public func run() async throws {
        // Slots a previous life of this node held are given back first.
        await renew()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.renewInterval) }
            await renew()
        }
    }
}

/// Runs async bodies one at a time, in arrival order.
actor AsyncSerializer {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        }
        busy = true
        defer {
            if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
        }
        return await body()
    }
}
