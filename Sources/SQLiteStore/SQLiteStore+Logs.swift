import CloudWatchLogs
import FunctionLogs
import GRDB

/// Function logs from `LogWriter`: groups and streams are created on first write, as Lambda creates them.
extension SQLiteStore: LogEventStore {
    public func appendLogEvents(_ events: [LogEvent], newGroupRetentionDays: Int?) async throws {
        guard !events.isEmpty else { return }
        let now = LogNames.nowMs()
        try await pool.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO log_entries (group_id, stream_id, timestamp, ingest_lag, message) VALUES (?, ?, ?, ?, ?)
                """)
            var ids: [String: (group: Int64, stream: Int64)] = [:]
            var touched: [Int64: (first: Int64, last: Int64, bytes: Int)] = [:]
            for event in events {
                let key = event.group + "\u{0}" + event.stream
                let target: (group: Int64, stream: Int64)
                if let known = ids[key] {
                    target = known
                } else {
                    let group = try Self.logGroupId(db, name: event.group, createWithRetention: newGroupRetentionDays, now: now)
                    target = (group, try Self.logStreamId(db, group: group, name: event.stream, now: now))
                    ids[key] = target
                }
                try insert.execute(arguments: [target.group, target.stream, event.timestamp, now - event.timestamp,
                                           Self.storedMessage(event.message)])
                let bytes = event.message.utf8.count
                if var t = touched[target.stream] {
                    t.first = min(t.first, event.timestamp)
                    t.last = max(t.last, event.timestamp)
                    t.bytes += bytes
                    touched[target.stream] = t
                } else {
                    touched[target.stream] = (event.timestamp, event.timestamp, bytes)
                }
            }
            for (stream, t) in touched {
                try Self.noteAppended(db, stream: stream, first: t.first, last: t.last, bytes: t.bytes, ingested: now)
            }
        }
    }

    /// The group's id, created (with the given retention) when missing.
    static func logGroupId(_ db: Database, name: String, createWithRetention days: Int?, now: Int64) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM log_groups WHERE name = ?", arguments: [name]) { return id }
        try db.execute(sql: "INSERT INTO log_groups (name, created, retention_days) VALUES (?, ?, ?)", arguments: [name, now, days])
        return db.lastInsertedRowID
    }

    /// The stream's id, created when missing.
    static func logStreamId(_ db: Database, group: Int64, name: String, now: Int64) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM log_streams WHERE group_id = ? AND name = ?", arguments: [group, name]) {
            return id
        }
        try db.execute(sql: "INSERT INTO log_streams (group_id, name, created) VALUES (?, ?, ?)", arguments: [group, name, now])
        return db.lastInsertedRowID
    }

    /// Widens the stream's event span and counts the bytes and the batch (its sequence token advances).
    static func noteAppended(_ db: Database, stream: Int64, first: Int64, last: Int64, bytes: Int, ingested: Int64) throws {
        try db.execute(sql: """
            UPDATE log_streams SET
              first_event = MIN(COALESCE(first_event, ?1), ?1),
              last_event = MAX(COALESCE(last_event, ?2), ?2),
              last_ingestion = ?3,
              stored_bytes = stored_bytes + ?4,
              sequence = sequence + 1
            WHERE id = ?5
            """, arguments: [first, last, ingested, bytes, stream])
    }
}
