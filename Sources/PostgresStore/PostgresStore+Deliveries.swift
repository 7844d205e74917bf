import Delivery
import Foundation
import NIOCore
import PostgresNIO

/// The delivery path's waiting deliveries, shared by nodes: a claim takes due deliveries nobody holds — never
/// leased, or whose lease expired — with `FOR UPDATE SKIP LOCKED`, so claimers on several nodes skip each other's
/// rows instead of waiting, and each delivery is leased to one node (`nodeId`) at a time.
extension PostgresStore: DeliveryStore {
    /// One statement: the batch is stored whole or not at all.
    public func enqueueDeliveries(_ deliveries: [Delivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await client.query(Self.insertDeliveriesQuery(deliveries), logger: logger)
    }

    /// Inserts deliveries with one statement, in their order (which `seq` keeps for claims of one due time); also
    /// inside a producer's own transaction (a timer that fires and advances atomically).
    static func insertDeliveriesQuery(_ deliveries: [Delivery]) throws -> PostgresQuery {
        let definitions = try deliveries.map { ByteBuffer(bytes: try encode($0)) }
        return """
            INSERT INTO deliveries (id, due_at, definition)
            SELECT id, due_at, definition FROM unnest(\(deliveries.map(\.id)), \(deliveries.map(\.dueAt)), \(definitions))
                WITH ORDINALITY AS batch (id, due_at, definition, position)
            ORDER BY position
            """
    }

    public func claimDueDeliveries(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [Delivery] {
        let rows = try await rows("""
            UPDATE deliveries SET lease_until = \(leaseUntil), lease_owner = \(nodeId)
            WHERE seq IN (
                SELECT seq FROM deliveries
                WHERE due_at <= \(now) AND (lease_until IS NULL OR lease_until <= \(now))
                ORDER BY due_at, seq LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            RETURNING seq, due_at, definition
            """)
        var claimed: [(seq: Int64, dueAt: Int64, delivery: Delivery)] = []
        for row in rows {
            let (seq, dueAt, definition) = try row.decode((Int64, Int64, Data).self)
            claimed.append((seq, dueAt, try Self.decode(Delivery.self, definition)))
        }
        // RETURNING follows no order: oldest due first, as claimed.
        return claimed.sorted { ($0.dueAt, $0.seq) < ($1.dueAt, $1.seq) }.map(\.delivery)
    }

    public func rescheduleDelivery(_ id: String, attempts: Int, dueAt: Int64) async throws {
        try await transaction { db in
            guard let row = try await db.rows("SELECT definition FROM deliveries WHERE id = \(id) FOR UPDATE", logger).first else { return }
            var delivery = try Self.decode(Delivery.self, try row.decode(Data.self))
            delivery.attempts = attempts
            delivery.dueAt = dueAt
            let blob = try Self.encode(delivery)
            try await db.query("""
                UPDATE deliveries SET definition = \(blob), due_at = \(dueAt), lease_until = NULL, lease_owner = NULL WHERE id = \(id)
                """, logger: logger)
        }
    }

    public func finishDeliveries(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await client.query("DELETE FROM deliveries WHERE id = ANY(\(ids))", logger: logger)
    }

    /// Releases the leases this node (`nodeId`) holds: at its start, whatever it held before is not running any more.
    /// Other nodes' leases stay; they expire by themselves if their holder died.
    public func releaseDeliveryLeases() async throws {
        try await client.query("""
            UPDATE deliveries SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = \(nodeId)
            """, logger: logger)
    }

    /// When the next delivery becomes claimable: its due time, or — held — the later of that and its lease's end.
    public func nextDeliveryDue() async throws -> Int64? {
        try await rows("SELECT MIN(GREATEST(due_at, COALESCE(lease_until, due_at))) FROM deliveries")[0].decode(Int64?.self)
    }

    public func pendingDeliveryCount() async throws -> Int {
        try await rows("SELECT COUNT(*) FROM deliveries")[0].decode(Int.self)
    }
}
