import Foundation
import GRDB
import Queues

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
            for table in ["queue_messages", "fifo_groups", "queue_deduplication", "queue_receive_attempts"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE queue = ?", arguments: [name])
            }
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
            let earlier = try db.cachedStatement(sql: "SELECT message_id, seq FROM queue_deduplication WHERE queue = ? AND key = ?")
            let remember = try db.cachedStatement(sql: """
                INSERT INTO queue_deduplication (queue, key, message_id, seq, expires_at) VALUES (?, ?, ?, ?, ?)
                """)
            var standing: [StoredMessage] = []
            for (m, extra) in rows {
                let key = deduplication.key(of: m)
                if let row = try Row.fetchOne(earlier, arguments: [queue, key]) {
                    var first = m
                    first.id = row["message_id"]
                    first.sequenceNumber = StoredMessage.sequenceNumber(row["seq"])
                    standing.append(first)
                    continue
                }
                try insert.execute(arguments: [m.id, queue, m.body, extra, m.sentAt, m.visibleAt, m.groupId, m.deduplicationId])
                let seq = db.lastInsertedRowID
                try Self.addToGroup(db, queue: queue, group: m.groupId ?? "", seq: seq, visibleAt: m.visibleAt)
                try remember.execute(arguments: [queue, key, m.id, seq, deduplication.expiresAt])
                var kept = m
                kept.sequenceNumber = StoredMessage.sequenceNumber(seq)
                standing.append(kept)
            }
            return standing
        }
    }

    static let messageColumns = """
        seq, id, body, extra, sent_at, visible_at, receive_count, first_receive_at, receipt, group_id, deduplication_id
        """

    static func message(_ row: Row) throws -> StoredMessage {
        let extra = try decode(MessageExtra.self, row["extra"])
        let deduplicationId: String? = row["deduplication_id"]
        return StoredMessage(id: row["id"], body: row["body"], attributes: extra.attributes, systemAttributes: extra.systemAttributes,
                             senderId: extra.senderId, sentAt: row["sent_at"], visibleAt: row["visible_at"],
                             receiveCount: row["receive_count"], firstReceiveAt: row["first_receive_at"], receipt: row["receipt"],
                             groupId: row["group_id"], deduplicationId: deduplicationId,
                             // Only FIFO messages carry a deduplication id, and only they have sequence numbers.
                             sequenceNumber: deduplicationId == nil ? nil : StoredMessage.sequenceNumber(row["seq"]))
    }

    public func receiveMessages(from queue: String, limit: Int, now: Int64, visibilityMs: Int64,
                                redrive: (queue: String, maxReceiveCount: Int)?, retentionMs: Int64, fifo: Bool) async throws -> [ReceivedMessage] {
        try await pool.write { db in
            // A FIFO message moved to a dead-letter queue is retained from the move, as SQS does.
            let cutoff = now - retentionMs
            try db.execute(sql: "DELETE FROM queue_messages WHERE queue = ? AND sent_at < ? AND COALESCE(retained_from, sent_at) < ?",
                           arguments: [queue, cutoff, cutoff])
            if fifo {
                if db.changesCount > 0 { try Self.refreshGroups(db, queue: queue) }
                return try Self.receiveInGroupOrder(db, queue: queue, limit: limit, now: now, visibilityMs: visibilityMs, redrive: redrive)
            }
            var received: [ReceivedMessage] = []
            // Messages handled in this receive: with a visibility of 0 they are visible again at once, and must not
            // come twice.
            var handled = Set<String>()
            while received.count < limit {
                let wanted = limit - received.count + handled.count
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(Self.messageColumns) FROM queue_messages WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?
                    """, arguments: [queue, now, wanted])
                var progressed = false
                for row in rows where received.count < limit {
                    let message = try Self.message(row)
                    guard handled.insert(message.id).inserted else { continue }
                    progressed = true
                    if let lease = try Self.leaseOrRedrive(db, message, queue: queue, now: now, visibilityMs: visibilityMs, redrive: redrive) {
                        received.append(lease)
                    }
                }
                if !progressed || rows.count < wanted { break }
            }
            return received
        }
    }

    /// Leases `message` (a new receipt, invisible until `now + visibility`), or — received too often — moves it to
    /// the dead-letter queue and returns nil. A FIFO message's deduplication id becomes its message id there, and
    /// its retention starts again, as SQS does.
    static func leaseOrRedrive(_ db: Database, _ message: StoredMessage, queue: String, now: Int64, visibilityMs: Int64,
                               redrive: (queue: String, maxReceiveCount: Int)?) throws -> ReceivedMessage? {
        if let redrive, message.receiveCount >= redrive.maxReceiveCount {
            let fifo = message.deduplicationId != nil
            try db.execute(sql: """
                UPDATE queue_messages SET queue = ?, receive_count = 0, visible_at = ?, receipt = NULL,
                    deduplication_id = CASE WHEN deduplication_id IS NULL THEN NULL ELSE id END,
                    retained_from = CASE WHEN deduplication_id IS NULL THEN retained_from ELSE ? END
                WHERE id = ?
                """, arguments: [redrive.queue, now, now, message.id])
            if fifo, let group = message.groupId { try refreshGroup(db, queue: redrive.queue, group: group) }
            return nil
        }
        var leased = message
        let receipt = ReceiptHandle.make(queue: queue, messageId: message.id)
        leased.receiveCount += 1
        leased.firstReceiveAt = message.firstReceiveAt ?? now
        leased.visibleAt = now + visibilityMs
        leased.receipt = receipt
        try db.execute(sql: "UPDATE queue_messages SET receive_count = ?, first_receive_at = ?, visible_at = ?, receipt = ? WHERE id = ?",
                       arguments: [leased.receiveCount, leased.firstReceiveAt, leased.visibleAt, receipt, message.id])
        return ReceivedMessage(message: leased, receipt: receipt)
    }

    public func deleteMessage(from queue: String, id: String, receipt: String?, now: Int64) async throws -> MessageDeletion {
        try await pool.write { db in
            let deleted: Row?
            if let receipt {
                deleted = try Row.fetchOne(db, sql: """
                    DELETE FROM queue_messages WHERE id = ? AND queue = ? AND receipt = ? AND visible_at > ? RETURNING group_id, deduplication_id
                    """, arguments: [id, queue, receipt, now])
            } else {
                deleted = try Row.fetchOne(db, sql: "DELETE FROM queue_messages WHERE id = ? AND queue = ? RETURNING group_id, deduplication_id",
                                           arguments: [id, queue])
            }
            guard let deleted else {
                let present = try Bool.fetchOne(db, sql: "SELECT 1 FROM queue_messages WHERE id = ? AND queue = ?", arguments: [id, queue]) ?? false
                return present ? .staleReceipt : .absent
            }
            try Self.refreshGroup(db, queue: queue, of: deleted)
            return .deleted
        }
    }

    public func deleteMessages(from queue: String, ids: [String]) async throws {
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM queue_messages WHERE id = ? AND queue = ? RETURNING group_id, deduplication_id")
            var groups = Set<String>()
            for id in ids {
                if let row = try Row.fetchOne(statement, arguments: [id, queue]), let group = Self.fifoGroup(of: row) { groups.insert(group) }
            }
            for group in groups { try Self.refreshGroup(db, queue: queue, group: group) }
        }
    }

    public func changeVisibility(in queue: String, id: String, receipt: String, visibleAt: Int64, now: Int64) async throws -> Bool {
        try await pool.write { db in
            guard let changed = try Row.fetchOne(db, sql: """
                UPDATE queue_messages SET visible_at = ? WHERE id = ? AND queue = ? AND receipt = ? AND visible_at > ?
                RETURNING group_id, deduplication_id
                """, arguments: [visibleAt, id, queue, receipt, now]) else { return false }
            try Self.refreshGroup(db, queue: queue, of: changed)
            return true
        }
    }

    public func purge(queue: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM queue_messages WHERE queue = ?", arguments: [queue])
            try db.execute(sql: "DELETE FROM fifo_groups WHERE queue = ?", arguments: [queue])
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
