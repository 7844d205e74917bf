import AWSProtocol
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
/// When the store cannot be reached (no answer within `storeTimeout`), the node enforces the limits on its own for
/// `degradedFor` before it asks again: a cluster without its database keeps running warm invocations rather than
/// failing them, each node within the whole limit.
public final class ClusterConcurrency: Service, Sendable {
    let store: any ConcurrencyLeaseStore
    let node: String
    let logger: Logger
    let renewInterval: Duration
    let leaseDuration: TimeInterval
    private let slots = Mutex<[String: Int]>([:])
    /// Until when the store is taken as unreachable (the limits are then the node's own).
    private let unreachableUntil = Mutex<ContinuousClock.Instant?>(nil)
    let storeTimeout: Duration = .seconds(1)
    let degradedFor: Duration = .seconds(5)
    /// Leases are granted one round trip at a time per node, so the node's count in the store stays what it holds.
    private let leasing = OneAtATime()
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

    /// True while the store is taken as unreachable: the limits are enforced by this node alone.
    var isDegraded: Bool {
        unreachableUntil.withLock { until in
            guard let end = until else { return false }
            if ContinuousClock.now < end { return true }
            until = nil
            return false
        }
    }

    /// Runs `body` against the store within `storeTimeout`; nil (and degraded for a while) when it failed or was late.
    private func withStore<T: Sendable>(_ what: String, _ body: @escaping @Sendable () async throws -> T) async -> T? {
        let timeout = storeTimeout
        // Not waiting for a store call that ignores its cancellation: the caller goes on at the timeout.
        let result: Result<T, any Error> = await firstAnswer({
            do { return .success(try await body()) } catch { return .failure(error) }
        }, {
            try? await Task.sleep(for: timeout)
            return .failure(CancellationError())
        })
        switch result {
        case .success(let value): return value
        case .failure(let error):
            unreachableUntil.withLock { $0 = .now + degradedFor }
            logger.warning("the cluster's concurrency leases are out of reach; limits are this node's alone for now", metadata: [
                "operation": "\(what)", "error": "\(error is CancellationError ? "no answer within \(timeout)" : "\(error)")"])
            return nil
        }
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
            let (store, node, leaseDuration) = (self.store, self.node, self.leaseDuration)
            guard let granted = await withStore("lease", {
                let now = Date()
                return try await store.leaseConcurrency(pool: pool, node: node, count: 1, limit: limit, now: now,
                                                        until: now.addingTimeInterval(leaseDuration))
            }) else { return current }
            slots.withLock { $0[pool] = granted }
            return granted
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
            let (store, node, leaseDuration) = (self.store, self.node, self.leaseDuration)
            _ = await withStore("renew") {
                try await store.renewConcurrency(node: node, held: held, until: Date().addingTimeInterval(leaseDuration))
            }
        }
    }

    public func run() async throws {
        // Slots a previous life of this node held are given back first.
        await renew()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.renewInterval) }
            if !Task.isShuttingDownGracefully { await renew() }
        }
        // Shut down after the invoker (it comes before it in the service group): every slot is free; give them back.
        await leasing.run {
            slots.withLock { $0 = [:] }
            let (store, node, leaseDuration) = (self.store, self.node, self.leaseDuration)
            _ = await withStore("release") {
                try await store.renewConcurrency(node: node, held: [:], until: Date().addingTimeInterval(leaseDuration))
            }
        }
    }
}
