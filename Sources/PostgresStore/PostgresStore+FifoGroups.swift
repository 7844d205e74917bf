import Foundation
import PostgresNIO
import Queues

/// FIFO queues keep one row per message group in `fifo_groups`: its first message's order, and `free_at`, when the
/// group can next be received from — the later of its first message's visibility (delayed or in flight) and the
/// end of the latest lease on any of its messages. A receive looks at free groups only. Every change to a FIFO
/// message's visibility or existence refreshes its group's row in the same transaction, under the group's advisory
/// lock, so a send to the group on another node cannot slip between the refresh's read and write. Writers take the
/// group locks they wait for in sorted order; a receive only tries them (and skips a busy group), so they cannot
/// deadlock.
extension PostgresStore {
    static func groupLock(_ queue: String, _ group: String) -> String { "fifo:\(queue)\n\(group)" }

    /// Up to `limit` messages from free groups, oldest group first, taking each group's visible messages in order.
    /// Groups another receiver is taking from right now are skipped.
    func receiveInGroupOrder(_ db: PostgresConnection, queue: String, limit: Int, now: Int64, visibilityMs: Int64,
                             redrive: Redrive?) async throws -> [ReceivedMessage] {
        var received: [ReceivedMessage] = []
        // Groups taken from in this receive: with a visibility of 0 they are free again at once.
        var taken = Set<String>()
        while received.count < limit {
            let groups = try await db.rows("""
                SELECT group_id FROM fifo_groups WHERE queue = \(queue) AND free_at <= \(now)
                ORDER BY head_seq LIMIT \(limit - received.count + taken.count)
                """, logger).map { try $0.decode(String.self) }.filter { !taken.contains($0) }
            if groups.isEmpty { break }
            for group in groups where received.count < limit {
                taken.insert(group)
                // A group another transaction is changing (a receive on another node, a send, a delete) is skipped,
                // not waited for: a receive never waits for a group while holding another.
                guard try await db.tryLock(Self.groupLock(queue, group), logger) else { continue }
                try await takeInOrder(db, queue: queue, group: group, into: &received, limit: limit, now: now, visibilityMs: visibilityMs,
                                      redrive: redrive)
                try await refreshGroup(db, queue: queue, group: group)
            }
        }
        return received
    }

    /// Leases the group's visible messages in order until one is not visible or `limit` are received; messages
    /// received too often move to the dead-letter queue on the way and do not count.
    func takeInOrder(_ db: PostgresConnection, queue: String, group: String, into received: inout [ReceivedMessage], limit: Int,
                     now: Int64, visibilityMs: Int64, redrive: Redrive?) async throws {
        var after: Int64 = 0
        while received.count < limit {
            let wanted = limit - received.count
            let rows = try await db.rows("""
                SELECT \(unescaped: Self.messageColumns) FROM queue_messages
                WHERE queue = \(queue) AND group_id = \(group) AND seq > \(after) ORDER BY seq LIMIT \(wanted)
                """, logger)
            for row in rows {
                after = try row.decode(Int64.self)
                let message = try Self.message(row)
                // In flight or delayed: the group's order stops here.
                if message.visibleAt > now { return }
                if let lease = try await leaseOrRedrive(db, message, queue: queue, now: now, visibilityMs: visibilityMs, redrive: redrive) {
                    received.append(lease)
                }
            }
            if rows.count < wanted { return }
        }
    }

    /// Takes, in sorted order, the locks of the FIFO groups of the messages `ids` — before any of their rows is
    /// changed, so that a writer never holds a message row while waiting for its group (which a receive holding the
    /// group may be about to update).
    func lockGroups(ofMessages ids: [String], in queue: String, _ db: PostgresConnection) async throws {
        let groups = try await db.rows("""
            SELECT DISTINCT group_id, deduplication_id FROM queue_messages WHERE id = ANY(\(ids)) AND queue = \(queue)
            """, logger).compactMap(Self.fifoGroup)
        for group in Set(groups).sorted() { try await db.lock(Self.groupLock(queue, group), logger) }
    }

    /// Takes the group's lock and refreshes its row.
    func refreshLocked(_ db: PostgresConnection, queue: String, group: String) async throws {
        try await db.lock(Self.groupLock(queue, group), logger)
        try await refreshGroup(db, queue: queue, group: group)
    }

    /// Recomputes a group's row from its messages; removes it when the group has none left. The caller holds the
    /// group's lock.
    func refreshGroup(_ db: PostgresConnection, queue: String, group: String) async throws {
        guard let head = try await db.rows("""
            SELECT seq, visible_at FROM queue_messages WHERE queue = \(queue) AND group_id = \(group) ORDER BY seq LIMIT 1
            """, logger).first else {
            try await db.query("DELETE FROM fifo_groups WHERE queue = \(queue) AND group_id = \(group)", logger: logger)
            return
        }
        let (headSeq, headVisibleAt) = try head.decode((Int64, Int64).self)
        let leasedUntil = try await db.rows("""
            SELECT MAX(visible_at) FROM queue_messages
            WHERE queue = \(queue) AND group_id = \(group) AND receive_count > 0 AND deduplication_id IS NOT NULL
            """, logger)[0].decode(Int64?.self)
        let freeAt = max(headVisibleAt, leasedUntil ?? headVisibleAt)
        try await db.query("""
            INSERT INTO fifo_groups (queue, group_id, head_seq, free_at) VALUES (\(queue), \(group), \(headSeq), \(freeAt))
            ON CONFLICT (queue, group_id) DO UPDATE SET head_seq = excluded.head_seq, free_at = excluded.free_at
            """, logger: logger)
    }

    /// The FIFO group of a `(group_id, deduplication_id)` row; nil for messages of standard queues (only FIFO
    /// messages carry a deduplication id).
    static func fifoGroup(of row: PostgresRow) throws -> String? {
        let (group, deduplicationId) = try row.decode((String?, String?).self)
        return deduplicationId == nil ? nil : group
    }
}
