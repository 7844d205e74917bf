import Catalog
import Foundation
import PostgresNIO

extension PostgresStore: ConcurrencyLeaseStore {
    public func leaseConcurrency(pool: String, node: String, count: Int, limit: Int, now: Date, until: Date) async throws -> Int {
        try await transaction { connection in
            // Leases of one pool are granted one at a time, so two nodes cannot both take the last slot.
            try await connection.lock("concurrency:" + pool, logger)
            let others = try await connection.rows("""
                SELECT COALESCE(SUM(slots), 0)::BIGINT FROM concurrency_leases
                WHERE pool = \(pool) AND node <> \(node) AND expires_at > \(now)
                """, logger)[0].decode(Int64.self)
            // The node's own slots count even when its lease lapsed: it may still be running invocations in them.
            let mine = try await connection.rows("""
                SELECT slots FROM concurrency_leases WHERE pool = \(pool) AND node = \(node)
                """, logger).first.map { Int(try $0.decode(Int32.self)) } ?? 0
            let granted = max(0, min(count, limit - Int(others) - mine))
            let held = mine + granted
            if held > 0 {
                try await connection.rows("""
                    INSERT INTO concurrency_leases (pool, node, slots, expires_at) VALUES (\(pool), \(node), \(Int32(held)), \(until))
                    ON CONFLICT (pool, node) DO UPDATE SET slots = EXCLUDED.slots, expires_at = EXCLUDED.expires_at
                    """, logger)
            }
            return held
        }
    }

    public func renewConcurrency(node: String, held: [String: Int], until: Date) async throws {
        try await transaction { connection in
            let kept = held.filter { $0.value > 0 }
            let pools = Array(kept.keys)
            try await connection.rows("""
                DELETE FROM concurrency_leases WHERE node = \(node) AND NOT (pool = ANY(\(pools)))
                """, logger)
            for (pool, slots) in kept.sorted(by: { $0.key < $1.key }) {
                try await connection.rows("""
                    INSERT INTO concurrency_leases (pool, node, slots, expires_at) VALUES (\(pool), \(node), \(Int32(slots)), \(until))
                    ON CONFLICT (pool, node) DO UPDATE SET slots = EXCLUDED.slots, expires_at = EXCLUDED.expires_at
                    """, logger)
            }
        }
    }

    public func concurrencyLeases(now: Date) async throws -> [String: [String: Int]] {
        var leases: [String: [String: Int]] = [:]
        for row in try await rows("SELECT pool, node, slots FROM concurrency_leases WHERE expires_at > \(now)") {
            let (pool, node, slots) = try row.decode((String, String, Int32).self)
            leases[pool, default: [:]][node] = Int(slots)
        }
        return leases
    }
}
