import Foundation
import GRDB
import Queues

/// FIFO queues keep one row per message group in `fifo_groups`: its first message's order, and `free_at`, when the
/// group can next be received from — the later of its first message's visibility (delayed or in flight) and the
/// end of the latest lease on any of its messages. A receive looks at free groups only, so held groups and their
/// backlogs cost it nothing. Every change to a FIFO message's visibility or existence refreshes its group's row in
/// the same transaction.
extension SQLiteStore {
    /// Up to `limit` messages from free groups, oldest group first, taking each group's visible messages in order.
    static func receiveInGroupOrder(_ db: Database, queue: String, limit: Int, now: Int64, visibilityMs: Int64,
                                    redrive: (queue: String, maxReceiveCount: Int)?) throws -> [ReceivedMessage] {
        var received: [ReceivedMessage] = []
        // Groups taken from in this receive: with a visibility of 0 they are free again at once.
        var taken = Set<String>()
        let groupsStatement = try db.cachedStatement(sql: """
            SELECT group_id FROM fifo_groups WHERE queue = ? AND free_at <= ? ORDER BY head_seq LIMIT ?
            """)
        while received.count < limit {
            let groups = try String.fetchAll(groupsStatement, arguments: [queue, now, limit - received.count + taken.count])
                .filter { !taken.contains($0) }
            if groups.isEmpty { break }
            for group in groups where received.count < limit {
                taken.insert(group)
                try takeInOrder(db, queue: queue, group: group, into: &received, limit: limit, now: now, visibilityMs: visibilityMs,
                                redrive: redrive)
                try refreshGroup(db, queue: queue, group: group)
            }
        }
        return received
    }

    /// Leases the group's visible messages in order until one is not visible or `limit` are received; messages
    /// received too often move to the dead-letter queue on the way and do not count.
    static func takeInOrder(_ db: Database, queue: String, group: String, into received: inout [ReceivedMessage], limit: Int,
                            now: Int64, visibilityMs: Int64, redrive: (queue: String, maxReceiveCount: Int)?) throws {
        let statement = try db.cachedStatement(sql: """
            SELECT \(messageColumns) FROM queue_messages WHERE queue = ? AND group_id = ? AND seq > ? ORDER BY seq LIMIT ?
            """)
        var after: Int64 = 0
        while received.count < limit {
            let wanted = limit - received.count
            let rows = try Row.fetchAll(statement, arguments: [queue, group, after, wanted])
            for row in rows {
                after = row["seq"]
                let message = try message(row)
                // In flight or delayed: the group's order stops here.
                if message.visibleAt > now { return }
                if let lease = try leaseOrRedrive(db, message, queue: queue, now: now, visibilityMs: visibilityMs, redrive: redrive) {
                    received.append(lease)
                }
            }
            if rows.count < wanted { return }
        }
    }

    /// A message just stored in a FIFO group: it heads the group when the group had no messages.
    static func addToGroup(_ db: Database, queue: String, group: String, seq: Int64, visibleAt: Int64) throws {
        try db.execute(sql: """
            INSERT INTO fifo_groups (queue, group_id, head_seq, free_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (queue, group_id) DO NOTHING
            """, arguments: [queue, group, seq, visibleAt])
    }

    /// Recomputes a group's row from its messages; removes it when the group has none left.
    static func refreshGroup(_ db: Database, queue: String, group: String) throws {
        guard let head = try Row.fetchOne(db, sql: """
            SELECT seq, visible_at FROM queue_messages WHERE queue = ? AND group_id = ? ORDER BY seq LIMIT 1
            """, arguments: [queue, group]) else {
            try db.execute(sql: "DELETE FROM fifo_groups WHERE queue = ? AND group_id = ?", arguments: [queue, group])
            return
        }
        let leasedUntil = try Int64.fetchOne(db, sql: """
            SELECT MAX(visible_at) FROM queue_messages
            WHERE queue = ? AND group_id = ? AND receive_count > 0 AND deduplication_id IS NOT NULL
            """, arguments: [queue, group])
        let headVisibleAt: Int64 = head["visible_at"]
        try db.execute(sql: """
            INSERT INTO fifo_groups (queue, group_id, head_seq, free_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (queue, group_id) DO UPDATE SET head_seq = excluded.head_seq, free_at = excluded.free_at
            """, arguments: [queue, group, head["seq"], max(headVisibleAt, leasedUntil ?? headVisibleAt)])
    }

    /// The FIFO group of a message row that has its group and deduplication id; nil for messages of standard
    /// queues (only FIFO messages carry a deduplication id).
    static func fifoGroup(of row: Row) -> String? {
        guard (row["deduplication_id"] as String?) != nil else { return nil }
        return row["group_id"]
    }

    /// Refreshes the group of a message that was changed or deleted; nothing for messages of standard queues.
    static func refreshGroup(_ db: Database, queue: String, of row: Row) throws {
        if let group = fifoGroup(of: row) { try refreshGroup(db, queue: queue, group: group) }
    }

    /// Recomputes every group of a queue after messages left it in bulk (retention).
    static func refreshGroups(_ db: Database, queue: String) throws {
        for group in try String.fetchAll(db, sql: "SELECT group_id FROM fifo_groups WHERE queue = ?", arguments: [queue]) {
            try refreshGroup(db, queue: queue, group: group)
        }
    }
}
