import Foundation
import PostgresNIO

extension PostgresStore {
    /// Hands the leases of nodes that are gone back to the cluster: async events and deliveries leased by a node that
    /// stopped, or whose last heartbeat is older than three of its heartbeat intervals (the dead-node rule of
    /// `NodeLiveness`), become claimable at once rather than when their leases run out (an async event's lease
    /// outlives any invocation: 16 minutes). Concurrency slots need nothing: their leases are short. Returns how many
    /// leases were released.
    public func releaseLeasesOfGoneNodes(at now: Date) async throws -> Int {
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        return try await transaction { connection in
            let gone = try await connection.rows("""
                SELECT id FROM cluster_nodes
                WHERE id <> \(nodeId) AND (state = 'stopped' OR heartbeat_at < \(nowMs) - 3 * heartbeat_interval_ms)
                """, logger).map { try $0.decode(String.self) }
            guard !gone.isEmpty else { return 0 }
            let events = try await connection.rows("""
                UPDATE async_events SET lease_until = NULL, lease_owner = NULL
                WHERE lease_owner = ANY(\(gone)) AND lease_until > \(nowMs) RETURNING 1
                """, logger).count
            let deliveries = try await connection.rows("""
                UPDATE deliveries SET lease_until = NULL, lease_owner = NULL
                WHERE lease_owner = ANY(\(gone)) AND lease_until > \(nowMs) RETURNING 1
                """, logger).count
            return events + deliveries
        }
    }
}
