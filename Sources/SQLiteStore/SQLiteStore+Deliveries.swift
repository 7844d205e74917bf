import Delivery
import Foundation
import GRDB

extension SQLiteStore: DeliveryStore {
    public func enqueueDeliveries(_ deliveries: [Delivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await deliveryWriter.submit(deliveries)
    }

    /// Inserts deliveries inside a producer's own transaction (a schedule that fires and advances atomically).
    static func insertDeliveries(_ deliveries: [Delivery], in db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO deliveries (id, due_at, definition) VALUES (?, ?, ?)")
        for delivery in deliveries {
            try insert.execute(arguments: [delivery.id, delivery.dueAt, try encode(delivery)])
        }
    }

    static func insertDeliveries(_ deliveries: [Delivery], into pool: DatabasePool) async throws {
        try await pool.write { db in try insertDeliveries(deliveries, in: db) }
    }

    public func claimDueDeliveries(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [Delivery] {
        try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT seq, definition FROM deliveries WHERE lease_until IS NULL AND due_at <= ? ORDER BY due_at, seq LIMIT ?
                """, arguments: [now, limit])
            let lease = try db.cachedStatement(sql: "UPDATE deliveries SET lease_until = ? WHERE seq = ?")
            return try rows.map { row in
                try lease.execute(arguments: [leaseUntil, row["seq"] as Int64])
                return try Self.decode(Delivery.self, row["definition"])
            }
        }
    }

    public func rescheduleDelivery(_ id: String, attempts: Int, dueAt: Int64) async throws {
        try await pool.write { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT definition FROM deliveries WHERE id = ?", arguments: [id]) else { return }
            var delivery = try Self.decode(Delivery.self, data)
            delivery.attempts = attempts
            delivery.dueAt = dueAt
            try db.execute(sql: "UPDATE deliveries SET definition = ?, due_at = ?, lease_until = NULL WHERE id = ?",
                           arguments: [try Self.encode(delivery), dueAt, id])
        }
    }

    public func finishDeliveries(_ ids: [String]) async throws {
        for id in ids { try await finishedDeliveryWriter.submit(id) }
    }

    static func deleteDeliveries(_ ids: [String], from pool: DatabasePool) async throws {
        try await pool.write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM deliveries WHERE id = ?")
            for id in ids { try delete.execute(arguments: [id]) }
        }
    }

    public func releaseDeliveryLeases() async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE deliveries SET lease_until = NULL WHERE lease_until IS NOT NULL")
        }
    }

    public func nextDeliveryDue() async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(due_at) FROM deliveries WHERE lease_until IS NULL")
        }
    }

    public func pendingDeliveryCount() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deliveries") ?? 0
        }
    }
}
