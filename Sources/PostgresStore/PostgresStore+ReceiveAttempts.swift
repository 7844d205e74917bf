import Foundation
import PostgresNIO
import Queues

/// One message a remembered FIFO receive handed out.
private struct ReceiveLease: Codable {
    var id: String
    var receipt: String
    var visibleAt: Int64
}

/// FIFO receives retried with the same `ReceiveRequestAttemptId`.
extension PostgresStore {
    public func repeatReceive(from queue: String, attemptId: String, now: Int64, visibilityMs: Int64) async throws -> [ReceivedMessage]? {
        try await transaction { db in
            try await db.query("DELETE FROM queue_receive_attempts WHERE expires_at <= \(now)", logger: logger)
            guard let blob = try await db.rows("""
                SELECT leases FROM queue_receive_attempts WHERE queue = \(queue) AND attempt_id = \(attemptId) FOR UPDATE
                """, logger).first?.decode(Data.self) else { return nil }
            var leases = try Self.decode([ReceiveLease].self, blob)
            try await lockGroups(ofMessages: leases.map(\.id), in: queue, db)
            var again: [ReceivedMessage] = []
            for lease in leases {
                // Unchanged since: same receipt (not received by another) and the visibility this receive set.
                guard let row = try await db.rows("""
                    SELECT \(unescaped: Self.messageColumns) FROM queue_messages
                    WHERE id = \(lease.id) AND queue = \(queue) AND receipt = \(lease.receipt) AND visible_at = \(lease.visibleAt)
                    FOR UPDATE
                    """, logger).first else { return nil }
                var message = try Self.message(row)
                message.visibleAt = now + visibilityMs
                again.append(ReceivedMessage(message: message, receipt: lease.receipt))
            }
            for i in leases.indices {
                leases[i].visibleAt = now + visibilityMs
                try await db.query("UPDATE queue_messages SET visible_at = \(leases[i].visibleAt) WHERE id = \(leases[i].id)", logger: logger)
            }
            for group in Set(again.compactMap(\.message.groupId)).sorted() { try await refreshLocked(db, queue: queue, group: group) }
            let updated = try Self.encode(leases)
            try await db.query("""
                UPDATE queue_receive_attempts SET leases = \(updated) WHERE queue = \(queue) AND attempt_id = \(attemptId)
                """, logger: logger)
            return again
        }
    }

    public func rememberReceive(in queue: String, attemptId: String, received: [ReceivedMessage], expiresAt: Int64) async throws {
        let blob = try Self.encode(received.map { ReceiveLease(id: $0.message.id, receipt: $0.receipt, visibleAt: $0.message.visibleAt) })
        try await client.query("""
            INSERT INTO queue_receive_attempts (queue, attempt_id, leases, expires_at) VALUES (\(queue), \(attemptId), \(blob), \(expiresAt))
            ON CONFLICT (queue, attempt_id) DO UPDATE SET leases = excluded.leases, expires_at = excluded.expires_at
            """, logger: logger)
    }
}
