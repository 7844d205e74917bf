import Foundation
import GRDB
import Queues

/// One message a remembered FIFO receive handed out.
private struct ReceiveLease: Codable {
    var id: String
    var receipt: String
    var visibleAt: Int64
}

/// FIFO receives retried with the same `ReceiveRequestAttemptId`.
extension SQLiteStore {
    public func repeatReceive(from queue: String, attemptId: String, now: Int64, visibilityMs: Int64) async throws -> [ReceivedMessage]? {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM queue_receive_attempts WHERE expires_at <= ?", arguments: [now])
            guard let blob = try Data.fetchOne(db, sql: "SELECT leases FROM queue_receive_attempts WHERE queue = ? AND attempt_id = ?",
                                               arguments: [queue, attemptId]) else { return nil }
            var leases = try Self.decode([ReceiveLease].self, blob)
            var again: [ReceivedMessage] = []
            for lease in leases {
                // Unchanged since: same receipt (not received by another) and the visibility this receive set.
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT \(Self.messageColumns) FROM queue_messages WHERE id = ? AND queue = ? AND receipt = ? AND visible_at = ?
                    """, arguments: [lease.id, queue, lease.receipt, lease.visibleAt]) else { return nil }
                var message = try Self.message(row)
                message.visibleAt = now + visibilityMs
                again.append(ReceivedMessage(message: message, receipt: lease.receipt))
            }
            for i in leases.indices {
                leases[i].visibleAt = now + visibilityMs
                try db.execute(sql: "UPDATE queue_messages SET visible_at = ? WHERE id = ?", arguments: [leases[i].visibleAt, leases[i].id])
            }
            for group in Set(again.compactMap(\.message.groupId)) { try Self.refreshGroup(db, queue: queue, group: group) }
            try db.execute(sql: "UPDATE queue_receive_attempts SET leases = ? WHERE queue = ? AND attempt_id = ?",
                           arguments: [try Self.encode(leases), queue, attemptId])
            return again
        }
    }

    public func rememberReceive(in queue: String, attemptId: String, received: [ReceivedMessage], expiresAt: Int64) async throws {
        let blob = try Self.encode(received.map { ReceiveLease(id: $0.message.id, receipt: $0.receipt, visibleAt: $0.message.visibleAt) })
        try await pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO queue_receive_attempts (queue, attempt_id, leases, expires_at) VALUES (?, ?, ?, ?)
                """, arguments: [queue, attemptId, blob, expiresAt])
        }
    }
}
