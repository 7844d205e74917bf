import Foundation
import GRDB
import Queues

/// One message a remembered FIFO receive handed out.
private struct ReceiveLease: Codable {
    var id: String
    var receipt: String
    var visibleAt: Int64
}

/// What a message row keeps besides its indexed columns.
private struct MessageExtra: Codable {
    var attributes: [String: MessageAttributeValue]
    var systemAttributes: [String: MessageAttributeValue]
    var senderId: String
}

extension SQLiteStore {
    public func createQueue(_ queue: QueueDefinition) async throws -> QueueDefinition {
        let blob = try Self.encode(queue)
        return try await pool.write { db in
            if let existing = try Data.fetchOne(db, sql: "SELECT definition FROM queues WHERE name = ?", arguments: [queue.name]) {
                return try Self.decode(QueueDefinition.self, existing)
            }
            try db.execute(sql: "INSERT INTO queues (name, definition) VALUES (?, ?)", arguments: [queue.name, blob])
            return queue
        }
    }

    public func queue(named name: String) async throws -> QueueDefinition? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM queues WHERE name = ?", arguments: [name])
        }.map { try Self.decode(QueueDefinition.self, $0) }
    }

    public func queues(prefix: String?) async throws -> [QueueDefinition] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM queues WHERE substr(name, 1, ?) = ? ORDER BY name",
                              arguments: [(prefix ?? "").utf8.count, prefix ?? ""])
        }.map { try Self.decode(QueueDefinition.self, $0) }
    }

    public func replaceQueue(_ queue: QueueDefinition) async throws {
        let blob = try Self.encode(queue)
        try await pool.write { db in
            try db.execute(sql: "UPDATE queues SET definition = ? WHERE name = ?", arguments: [blob, queue.name])
            if db.changesCount == 0 { throw QueueError.queueDoesNotExist }
        }
    }

    public func deleteQueue(named name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM queues WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "DELETE FROM queue_messages WHERE queue = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM queue_deduplication WHERE queue = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM queue_receive_attempts WHERE queue = ?", arguments: [name])
            return true
        }
    }

    public func sendMessages(_ messages: [StoredMessage], to queue: String, deduplication: Deduplication?) async throws -> [StoredMessage] {
        let rows = try messages.map { m in
            (m, try Self.encode(MessageExtra(attributes: m.attributes, systemAttributes: m.systemAttributes, senderId: m.senderId)))
        }
        return try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM queues WHERE name = ?", arguments: [queue]) == true else {
                throw QueueError.queueDoesNotExist
            }
            let insert = try db.cachedStatement(sql: """
                INSERT INTO queue_messages (id, queue, body, extra, sent_at, visible_at, group_id, deduplication_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            guard let deduplication else {
                for (m, extra) in rows {
                    try insert.execute(arguments: [m.id, queue, m.body, extra, m.sentAt, m.visibleAt, m.groupId, nil])
                }
                return messages
            }
            try db.execute(sql: "DELETE FROM queue_deduplication WHERE expires_at <= ?", arguments: [deduplication.now])
            let earlier = try db.cachedStatement(sql: "SELECT message_id, sequence_number FROM queue_deduplication WHERE queue = ? AND key = ?")
            let number = try db.cachedStatement(sql: "UPDATE queue_messages SET sequence_number = ? WHERE seq = ?")
            let remember = try db.cachedStatement(sql: """
                INSERT INTO queue_deduplication (queue, key, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?)
                """)
            var standing: [StoredMessage] = []
            for (m, extra) in rows {
                let key = deduplication.key(of: m)
                if let row = try Row.fetchOne(earlier, arguments: [queue, key]) {
                    var first = m
                    first.id = row["message_id"]
                    first.sequenceNumber = row["sequence_number"]
                    standing.append(first)
                    continue
                }
                try insert.execute(arguments: [m.id, queue, m.body, extra, m.sentAt, m.visibleAt, m.groupId, m.deduplicationId])
                var kept = m
                kept.sequenceNumber = Deduplication.sequenceNumber(db.lastInsertedRowID)
                try number.execute(arguments: [kept.sequenceNumber, db.lastInsertedRowID])
                try remember.execute(arguments: [queue, key, kept.id, kept.sequenceNumber, deduplication.expiresAt])
                standing.append(kept)
            }
            return standing
        }
    }

    private static let messageColumns = "id, body, extra, sent_at, visible_at, receive_count, first_receive_at, receipt, group_id, deduplication_id, sequence_number"

    private static func message(_ row: Row) throws -> StoredMessage {
        let extra = try decode(MessageExtra.self, row["extra"])
        return StoredMessage(id: row["id"], body: row["body"], attributes: extra.attributes, systemAttributes: extra.systemAttributes,
                             senderId: extra.senderId, sentAt: row["sent_at"], visibleAt: row["visible_at"],
                             receiveCount: row["receive_count"], firstReceiveAt: row["first_receive_at"], receipt: row["receipt"],
                             groupId: row["group_id"], deduplicationId: row["deduplication_id"], sequenceNumber: row["sequence_number"])
    }

    public func receiveMessages(from queue: String, limit: Int, now: Int64, visibilityMs: Int64,
                                redrive: (queue: String, maxReceiveCount: Int)?, retentionMs: Int64, fifo: Bool) async throws -> [ReceivedMessage] {
        // A FIFO group is held while one of its messages is in flight, and waits for an earlier one still delayed.
        let select = fifo ? """
            SELECT \(Self.messageColumns) FROM queue_messages m
            WHERE m.queue = ?1 AND m.visible_at <= ?2 AND NOT EXISTS (
                SELECT 1 FROM queue_messages b WHERE b.queue = ?1 AND b.group_id = m.group_id AND b.visible_at > ?2
                AND (b.receive_count > 0 OR b.seq < m.seq))
            ORDER BY m.seq LIMIT ?3
            """ : """
            SELECT \(Self.messageColumns) FROM queue_messages
            WHERE queue = ?1 AND visible_at <= ?2 ORDER BY visible_at, seq LIMIT ?3
            """
        return try await pool.write { db in
            try db.execute(sql: "DELETE FROM queue_messages WHERE queue = ? AND sent_at < ?", arguments: [queue, now - retentionMs])
            var received: [ReceivedMessage] = []
            while received.count < limit {
                let rows = try Row.fetchAll(db, sql: select, arguments: [queue, now, limit - received.count])
                if rows.isEmpty { break }
                for row in rows {
                    var message = try Self.message(row)
                    if let redrive, message.receiveCount >= redrive.maxReceiveCount {
                        // Received too often: it moves to the dead-letter queue instead (a FIFO message's deduplication id
                        // becomes its message id there, as SQS does).
                        try db.execute(sql: """
                            UPDATE queue_messages SET queue = ?, receive_count = 0, visible_at = ?, receipt = NULL,
                                deduplication_id = CASE WHEN deduplication_id IS NULL THEN NULL ELSE id END
                            WHERE id = ?
                            """, arguments: [redrive.queue, now, message.id])
                        continue
                    }
                    let receipt = ReceiptHandle.make(queue: queue, messageId: message.id)
                    message.receiveCount += 1
                    message.firstReceiveAt = message.firstReceiveAt ?? now
                    message.visibleAt = now + visibilityMs
                    message.receipt = receipt
                    try db.execute(sql: "UPDATE queue_messages SET receive_count = ?, first_receive_at = ?, visible_at = ?, receipt = ? WHERE id = ?",
                                   arguments: [message.receiveCount, message.firstReceiveAt, message.visibleAt, receipt, message.id])
                    received.append(ReceivedMessage(message: message, receipt: receipt))
                }
            }
            return received
        }
    }

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

    public func deleteMessage(from queue: String, id: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM queue_messages WHERE id = ? AND queue = ?", arguments: [id, queue])
            return db.changesCount > 0
        }
    }

    public func deleteMessages(from queue: String, ids: [String]) async throws {
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM queue_messages WHERE id = ? AND queue = ?")
            for id in ids { try statement.execute(arguments: [id, queue]) }
        }
    }

    public func changeVisibility(in queue: String, id: String, receipt: String, visibleAt: Int64, now: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE queue_messages SET visible_at = ? WHERE id = ? AND queue = ? AND receipt = ? AND visible_at > ?",
                           arguments: [visibleAt, id, queue, receipt, now])
            return db.changesCount > 0
        }
    }

    public func purge(queue: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM queue_messages WHERE queue = ?", arguments: [queue])
        }
    }

    public func counts(of queue: String, now: Int64) async throws -> QueueCounts {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(visible_at <= ?), 0) AS visible,
                       COALESCE(SUM(visible_at > ? AND receive_count > 0), 0) AS in_flight,
                       COALESCE(SUM(visible_at > ? AND receive_count = 0), 0) AS delayed
                FROM queue_messages WHERE queue = ?
                """, arguments: [now, now, now, queue])!
            return QueueCounts(visible: row["visible"], inFlight: row["in_flight"], delayed: row["delayed"])
        }
    }

    public func nextVisibleAt(in queue: String, after now: Int64) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(visible_at) FROM queue_messages WHERE queue = ? AND visible_at > ?", arguments: [queue, now])
        }
    }
}
