import Foundation

/// Concurrency slots the nodes of a cluster lease from their shared store, so that a limit (a function's reserved
/// concurrency, the account's unreserved pool) holds across the cluster: a node runs no more invocations of a pool at
/// once than the slots it holds, and all nodes' unexpired slots of a pool never exceed its limit. A node renews what
/// it holds while it lives; the slots of a node that stopped renewing count for nobody once they expire.
public protocol ConcurrencyLeaseStore: Sendable {
    /// Adds up to `count` slots of `pool` to what `node` holds, as far as every node's unexpired slots stay within
    /// `limit`, and extends the node's lease of the pool to `until`. Returns the slots the node holds now.
    func leaseConcurrency(pool: String, node: String, count: Int, limit: Int, now: Date, until: Date) async throws -> Int
    /// Sets what `node` holds to `held` (a pool absent or at 0 is given back), valid until `until`.
    func renewConcurrency(node: String, held: [String: Int], until: Date) async throws
    /// Slots held per pool and node, unexpired at `now` (`swiftlet cluster status`, tests).
    func concurrencyLeases(now: Date) async throws -> [String: [String: Int]]
}
