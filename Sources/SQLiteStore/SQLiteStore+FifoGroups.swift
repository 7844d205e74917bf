import Foundation
import GRDB
import Queues

/// FIFO queues keep one row per message group in `fifo_groups`: its first message's order and visibility. A group
/// can be received from when that message is visible — none of the group is in flight and no earlier one is
/// delayed — so a receive looks at free groups only, and costs what it takes rather than the queue's backlog.
/// Every change to a FIFO message's visibility or existence refreshes its group's row in the same transaction.
extension SQLiteStore {
    /// Up to `limit` messages from free groups, oldest group first, taking each group's visible messages in order.
    static func receiveInGroupOrder(_ db: Database, queue: String, limit: Int, now: Int64, visibilityMs: Int64,
                                    redrive: (queue: String, maxReceiveCount: Int)?) throws -> [ReceivedMessage] {
        var received: [ReceivedMessage] = []
        // Groups taken from in this receive: with a visibility of 0 they are free again at once.
        var taken = Set<String>()
        let groupsStatement = try db.cachedStatement(sql: """
            SELECT group_id FROM fifo_groups WHERE queue = ? AND head_visible_at <= ? ORDER BY head_seq LIMIT ?
            """)
        let messagesStatement = try db.cachedStatement(sql: """
            SELECT \(messageColumns) FROM queue_messages WHERE queue = ? AND group_id = ? ORDER BY seq LIMIT ?
            """)
        while received.count < limit {
            let groups = try String.fetchAll(groupsStatement, arguments: [queue, now, limit - received.count + taken.count])
                .filter { !taken.contains($0) }
            if groups.isEmpty { break }
            for group in groups where received.count < limit {
                taken.insert(group)
                for row in try Row.fetchAll(messagesStatement, arguments: [queue, group, limit - received.count]) {
                    let message = try message(row)
                    // In flight or delayed: the group's order stops here.
                    if message.visibleAt > now || received.count >= limit { break }
                    if let lease = try leaseOrRedrive(db, message, queue: queue, now: now, visibilityMs: visibilityMs, redrive: redrive) {
                        received.append(lease)
                    }
                }
                try refreshGroup(db, queue: queue, group: group)
            }
        }
        return received
    }

    /// A message just stored in a FIFO group: it heads the group when the group had no messages.
    static func addToGroup(_ db: Database, queue: String, group: String, seq: Int64, visibleAt: Int64) throws {
        try db.execute(sql: """
            INSERT INTO fifo_groups (queue, group_id, head_seq, head_visible_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (queue, group_id) DO NOTHING
            """, arguments: [queue, group, seq, visibleAt])
    }

    /// Recomputes a group's row from its messages; removes it when the group has none left.
    static func refreshGroup(_ db: Database, queue: String, group: String) throws {
        if let head = try Row.fetchOne(db, sql: """
            SELECT seq, visible_at FROM queue_messages WHERE queue = ? AND group_id = ? ORDER BY seq LIMIT 1
            """, arguments: [queue, group]) {
            try db.execute(sql: """
                INSERT INTO fifo_groups (queue, group_id, head_seq, head_visible_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (queue, group_id) DO UPDATE SET head_seq = excluded.head_seq, head_visible_at = excluded.head_visible_at
                """, arguments: [queue, group, head["seq"], head["visible_at"]])
        } else {
            try db.execute(sql: "DELETE FROM fifo_groups WHERE queue = ? AND group_id = ?", arguments: [queue, group])
        }
    }

    /// Refreshes the group of a message that was changed or deleted (`row` has its group and deduplication id);
    /// nothing for messages of standard queues.
    static func refreshGroup(_ db: Database, queue: String, of row: Row) throws {
        guard (row["deduplication_id"] as String?) != nil, let group: String = row["group_id"] else { return }
        try refreshGroup(db, queue: queue, group: group)
    }

    /// Recomputes every group of a queue after messages left it in bulk (retention).
    static func refreshGroups(_ db: Database, queue: String) throws {
        try db.execute(sql: """
            DELETE FROM fifo_groups WHERE queue = ?1 AND NOT EXISTS (
                SELECT 1 FROM queue_messages m WHERE m.queue = ?1 AND m.group_id = fifo_groups.group_id)
            """, arguments: [queue])
        try db.execute(sql: """
            UPDATE fifo_groups SET (head_seq, head_visible_at) = (
                SELECT seq, visible_at FROM queue_messages m WHERE m.queue = ?1 AND m.group_id = fifo_groups.group_id ORDER BY seq LIMIT 1)
            WHERE queue = ?1
            """, arguments: [queue])
    }
}
