import Catalog
import Foundation
import PostgresNIO

extension PostgresStore: WorkLeaseStore {
    public func claimWork(kind: String, items: Set<String>, node: String, now: Date, until: Date) async throws -> Set<String> {
        try await transaction { connection in
            // One claimer of a kind at a time: shares are computed from what the others hold.
            try await connection.lock("work:" + kind, logger)
            let all = Array(items)
            try await connection.rows("DELETE FROM work_leases WHERE kind = \(kind) AND NOT (item = ANY(\(all)))", logger)
            var held: [String: (node: String, live: Bool)] = [:]
            for row in try await connection.rows("SELECT item, node, expires_at FROM work_leases WHERE kind = \(kind)", logger) {
                let (item, holder, expires) = try row.decode((String, String, Date).self)
                held[item] = (holder, expires > now)
            }
            // Sharing with every node that holds some, and every serving node of the registry (it may hold none yet).
            let serving = try await connection.rows(Self.servingNodesQuery(at: now, except: node), logger)
                .map { try $0.decode(String.self) }
            let holders = Set(held.values.filter { $0.live && $0.node != node }.map(\.node)).union(serving).union([node])
            let share = items.isEmpty ? 0 : (items.count + holders.count - 1) / holders.count
            var mine = Set(held.filter { $0.value.node == node }.map(\.key))
            // Beyond the share (others joined): the rest goes back.
            if mine.count > share {
                let excess = Array(mine.sorted().dropFirst(share))
                try await connection.rows("DELETE FROM work_leases WHERE kind = \(kind) AND node = \(node) AND item = ANY(\(excess))", logger)
                mine.subtract(excess)
            }
            // Up to the share: unheld items, or items whose holder stopped renewing.
            let free = items.filter { held[$0] == nil || (held[$0]!.live == false && held[$0]!.node != node) }.sorted()
            for item in free.prefix(max(0, share - mine.count)) {
                try await connection.rows("""
                    INSERT INTO work_leases (kind, item, node, expires_at) VALUES (\(kind), \(item), \(node), \(until))
                    ON CONFLICT (kind, item) DO UPDATE SET node = EXCLUDED.node, expires_at = EXCLUDED.expires_at
                    """, logger)
                mine.insert(item)
            }
            try await connection.rows("UPDATE work_leases SET expires_at = \(until) WHERE kind = \(kind) AND node = \(node)", logger)
            return mine
        }
    }

    public func releaseWork(kind: String, node: String) async throws {
        try await rows("DELETE FROM work_leases WHERE kind = \(kind) AND node = \(node)")
    }
}
