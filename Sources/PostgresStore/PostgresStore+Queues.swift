import Foundation
import Logging
import PostgresNIO
import Queues

/// What a message row keeps besides its indexed columns.
struct MessageExtra: Codable {
    var attributes: [String: MessageAttributeValue]
    var systemAttributes: [String: MessageAttributeValue]
    var senderId: String
}

/// Queues and their messages. Receivers on several nodes skip each other's rows (`FOR UPDATE SKIP LOCKED`), so a
/// message is handed to one receiver at a time; FIFO groups are serialized by an advisory lock per group.
extension PostgresStore {
    public func createQueue(_ queue: QueueDefinition) async throws -> QueueDefinition {
        let blob = try Self.encode(queue)
        return try await transaction { db in
            let inserted = try await db.rows("""
                INSERT INTO queues (name, definition) VALUES (\(queue.name), \(blob)) ON CONFLICT (name) DO NOTHING RETURNING 1
                """, logger)
            if !inserted.isEmpty { return queue }
            let existing = try await db.rows("SELECT definition FROM queues WHERE name = \(queue.name)", logger)[0].decode(Data.self)
            return try Self.decode(QueueDefinition.self, existing)
        }
    }

    public func queue(named name: String) async throws -> QueueDefinition? {
        try await rows("SELECT definition FROM queues WHERE name = \(name)").first.map { try Self.decode(QueueDefinition.self, try $0.decode(Data.self)) }
    }

    public func queues(prefix: String?) async throws -> [QueueDefinition] {
        try await rows("SELECT definition FROM queues WHERE starts_with(name, \(prefix ?? "")) ORDER BY name")
            .map { try Self.decode(QueueDefinition.self, try $0.decode(Data.self)) }
    }

    public func replaceQueue(_ queue: QueueDefinition) async throws {
        let blob = try Self.encode(queue)
        if try await rows("UPDATE queues SET definition = \(blob) WHERE name = \(queue.name) RETURNING 1").isEmpty {
            throw QueueError.queueDoesNotExist
        }
    }

    public func deleteQueue(named name: String) async throws -> Bool {
        try await transaction { db in
            guard try await !db.rows("DELETE FROM queues WHERE name = \(name) RETURNING 1", logger).isEmpty else { return false }
            try await db.query("DELETE FROM queue_messages WHERE queue = \(name)", logger: logger)
            try await db.query("DELETE FROM fifo_groups WHERE queue = \(name)", logger: logger)
            try await db.query("DELETE FROM queue_deduplication WHERE queue = \(name)", logger: logger)
            try await db.query("DELETE FROM queue_receive_attempts WHERE queue = \(name)", logger: logger)
            return true
        }
    }

    public func sendMessages(_ messages: [StoredMessage], to queue: String, deduplication: Deduplication?) async throws -> [StoredMessage] {
        let rows = try messages.map { m in
            (m, try Self.encode(MessageExtra(attributes: m.attributes, systemAttributes: m.systemAttributes, senderId: m.senderId)))
        }
        return try await transaction { db in
            guard try await !db.rows("SELECT 1 FROM queues WHERE name = \(queue) FOR SHARE", logger).isEmpty else {
                throw QueueError.queueDoesNotExist
            }
            guard let deduplication else {
                for (m, extra) in rows {
                    try await db.query("""
                        INSERT INTO queue_messages (id, queue, body, extra, sent_at, visible_at, group_id)
                        VALUES (\(m.id), \(queue), \(m.body), \(extra), \(m.sentAt), \(m.visibleAt), \(m.groupId))
                        """, logger: logger)
                }
                return messages
            }
            try await db.query("DELETE FROM queue_deduplication WHERE queue = \(queue) AND expires_at <= \(deduplication.now)", logger: logger)
            // Every group of the batch, in sorted order (two batches naming the same groups cannot deadlock).
            for group in Set(messages.map { $0.groupId ?? "" }).sorted() { try await db.lock(Self.groupLock(queue, group), logger) }
            var standing: [StoredMessage] = []
            for (m, extra) in rows {
                let group = m.groupId ?? ""
                let key = deduplication.key(of: m)
                // Claims the key first: a concurrent send of the same id waits here and then sees ours.
                let claimed = try await db.rows("""
                    INSERT INTO queue_deduplication (queue, key, message_id, seq, expires_at)
                    VALUES (\(queue), \(key), \(m.id), 0, \(deduplication.expiresAt))
                    ON CONFLICT (queue, key) DO NOTHING RETURNING 1
                    """, logger)
                if claimed.isEmpty {
                    let (id, seq) = try await db.rows("SELECT message_id, seq FROM queue_deduplication WHERE queue = \(queue) AND key = \(key)",
                                                      logger)[0].decode((String, Int64).self)
                    var first = m
                    first.id = id
                    first.sequenceNumber = StoredMessage.sequenceNumber(seq)
                    standing.append(first)
                    continue
                }
                let seq = try await db.rows("""
                    INSERT INTO queue_messages (id, queue, body, extra, sent_at, visible_at, group_id, deduplication_id)
                    VALUES (\(m.id), \(queue), \(m.body), \(extra), \(m.sentAt), \(m.visibleAt), \(m.groupId), \(m.deduplicationId))
                    RETURNING seq
                    """, logger)[0].decode(Int64.self)
                try await db.query("UPDATE queue_deduplication SET seq = \(seq) WHERE queue = \(queue) AND key = \(key)", logger: logger)
                try await db.query("""
                    INSERT INTO fifo_groups (queue, group_id, head_seq, free_at) VALUES (\(queue), \(group), \(seq), \(m.visibleAt))
                    ON CONFLICT (queue, group_id) DO NOTHING
                    """, logger: logger)
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

    static func message(_ row: PostgresRow) throws -> StoredMessage {
        let (seq, id, body, extraBlob, sentAt, visibleAt, receiveCount, firstReceiveAt, receipt, groupId, deduplicationId) =
            try row.decode((Int64, String, String, Data, Int64, Int64, Int, Int64?, String?, String?, String?).self)
        let extra = try decode(MessageExtra.self, extraBlob)
        return StoredMessage(id: id, body: body, attributes: extra.attributes, systemAttributes: extra.systemAttributes,
                             senderId: extra.senderId, sentAt: sentAt, visibleAt: visibleAt, receiveCount: receiveCount,
                             firstReceiveAt: firstReceiveAt, receipt: receipt, groupId: groupId, deduplicationId: deduplicationId,
                             // Only FIFO messages carry a deduplication id, and only they have sequence numbers.
                             sequenceNumber: deduplicationId == nil ? nil : StoredMessage.sequenceNumber(seq))
    }

    public func receiveMessages(from queue: String, limit: Int, now: Int64, visibilityMs: Int64,
                                redrive: (queue: String, maxReceiveCount: Int)?, retentionMs: Int64, fifo: Bool) async throws -> [ReceivedMessage] {
        let redrive = redrive.map { Redrive(queue: $0.queue, maxReceiveCount: $0.maxReceiveCount) }
        return try await transaction { db in
            // A FIFO message moved to a dead-letter queue is retained from the move, as SQS does.
            let cutoff = now - retentionMs
            let expired = try await db.rows("""
                DELETE FROM queue_messages WHERE seq IN (
                    SELECT seq FROM queue_messages WHERE queue = \(queue) AND sent_at < \(cutoff) AND COALESCE(retained_from, sent_at) < \(cutoff)
                    FOR UPDATE SKIP LOCKED)
                RETURNING group_id, deduplication_id
                """, logger)
            if fifo {
                for group in Set(try expired.compactMap(Self.fifoGroup)).sorted() {
                    try await db.lock(Self.groupLock(queue, group), logger)
                    try await refreshGroup(db, queue: queue, group: group)
                }
                return try await receiveInGroupOrder(db, queue: queue, limit: limit, now: now, visibilityMs: visibilityMs, redrive: redrive)
            }
            var received: [ReceivedMessage] = []
            // Messages handled in this receive: with a visibility of 0 they are visible again at once, and must not
            // come twice.
            var handled = Set<String>()
            while received.count < limit {
                let wanted = limit - received.count + handled.count
                let rows = try await db.rows("""
                    SELECT \(unescaped: Self.messageColumns) FROM queue_messages WHERE queue = \(queue) AND visible_at <= \(now)
                    ORDER BY visible_at, seq LIMIT \(wanted) FOR UPDATE SKIP LOCKED
                    """, logger)
                var progressed = false
                for row in rows where received.count < limit {
                    let message = try Self.message(row)
                    guard handled.insert(message.id).inserted else { continue }
                    progressed = true
                    if let lease = try await leaseOrRedrive(db, message, queue: queue, now: now, visibilityMs: visibilityMs, redrive: redrive) {
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
    func leaseOrRedrive(_ db: PostgresConnection, _ message: StoredMessage, queue: String, now: Int64, visibilityMs: Int64,
                        redrive: Redrive?) async throws -> ReceivedMessage? {
        if let redrive, message.receiveCount >= redrive.maxReceiveCount {
            let fifo = message.deduplicationId != nil
            try await db.query("""
                UPDATE queue_messages SET queue = \(redrive.queue), receive_count = 0, visible_at = \(now), receipt = NULL,
                    deduplication_id = CASE WHEN deduplication_id IS NULL THEN NULL ELSE id END,
                    retained_from = CASE WHEN deduplication_id IS NULL THEN retained_from ELSE \(now) END
                WHERE id = \(message.id)
                """, logger: logger)
            if fifo, let group = message.groupId {
                try await db.lock(Self.groupLock(redrive.queue, group), logger)
                try await refreshGroup(db, queue: redrive.queue, group: group)
            }
            return nil
        }
        var leased = message
        let receipt = ReceiptHandle.make(queue: queue, messageId: message.id)
        leased.receiveCount += 1
        leased.firstReceiveAt = message.firstReceiveAt ?? now
        leased.visibleAt = now + visibilityMs
        leased.receipt = receipt
        try await db.query("""
            UPDATE queue_messages SET receive_count = \(leased.receiveCount), first_receive_at = \(leased.firstReceiveAt),
                visible_at = \(leased.visibleAt), receipt = \(receipt)
            WHERE id = \(message.id)
            """, logger: logger)
        return ReceivedMessage(message: leased, receipt: receipt)
    }

    public func deleteMessage(from queue: String, id: String, receipt: String?, now: Int64) async throws -> MessageDeletion {
        try await transaction { db in
            try await lockGroups(ofMessages: [id], in: queue, db)
            let deleted: [PostgresRow]
            if let receipt {
                deleted = try await db.rows("""
                    DELETE FROM queue_messages WHERE id = \(id) AND queue = \(queue) AND receipt = \(receipt) AND visible_at > \(now)
                    RETURNING group_id, deduplication_id
                    """, logger)
            } else {
                deleted = try await db.rows("DELETE FROM queue_messages WHERE id = \(id) AND queue = \(queue) RETURNING group_id, deduplication_id",
                                            logger)
            }
            guard let row = deleted.first else {
                let present = try await !db.rows("SELECT 1 FROM queue_messages WHERE id = \(id) AND queue = \(queue)", logger).isEmpty
                return present ? .staleReceipt : .absent
            }
            if let group = try Self.fifoGroup(of: row) { try await refreshLocked(db, queue: queue, group: group) }
            return .deleted
        }
    }

    public func deleteMessages(from queue: String, ids: [String]) async throws {
        try await transaction { db in
            try await lockGroups(ofMessages: ids, in: queue, db)
            let deleted = try await db.rows("""
                DELETE FROM queue_messages WHERE id = ANY(\(ids)) AND queue = \(queue) RETURNING group_id, deduplication_id
                """, logger)
            for group in Set(try deleted.compactMap(Self.fifoGroup)).sorted() { try await refreshLocked(db, queue: queue, group: group) }
        }
    }

    public func changeVisibility(in queue: String, id: String, receipt: String, visibleAt: Int64, now: Int64) async throws -> Bool {
        try await transaction { db in
            try await lockGroups(ofMessages: [id], in: queue, db)
            guard let changed = try await db.rows("""
                UPDATE queue_messages SET visible_at = \(visibleAt)
                WHERE id = \(id) AND queue = \(queue) AND receipt = \(receipt) AND visible_at > \(now)
                RETURNING group_id, deduplication_id
                """, logger).first else { return false }
            if let group = try Self.fifoGroup(of: changed) { try await refreshLocked(db, queue: queue, group: group) }
            return true
        }
    }

    public func purge(queue: String) async throws {
        try await transaction { db in
            try await db.query("DELETE FROM queue_messages WHERE queue = \(queue)", logger: logger)
            try await db.query("DELETE FROM fifo_groups WHERE queue = \(queue)", logger: logger)
        }
    }

    public func counts(of queue: String, now: Int64) async throws -> QueueCounts {
        let (visible, inFlight, delayed) = try await rows("""
            SELECT COUNT(*) FILTER (WHERE visible_at <= \(now)),
                   COUNT(*) FILTER (WHERE visible_at > \(now) AND receive_count > 0),
                   COUNT(*) FILTER (WHERE visible_at > \(now) AND receive_count = 0)
            FROM queue_messages WHERE queue = \(queue)
            """)[0].decode((Int, Int, Int).self)
        return QueueCounts(visible: visible, inFlight: inFlight, delayed: delayed)
    }

    public func nextVisibleAt(in queue: String, after now: Int64) async throws -> Int64? {
        try await rows("SELECT MIN(visible_at) FROM queue_messages WHERE queue = \(queue) AND visible_at > \(now)")[0].decode(Int64?.self)
    }
}

/// Where messages received too often go (the protocol's tuple, as a value that can cross into a transaction).
struct Redrive: Sendable {
    var queue: String
    var maxReceiveCount: Int
}
