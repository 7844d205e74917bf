import CloudWatchLogs
import Foundation
import GRDB

/// CloudWatch Logs' events: PutLogEvents, GetLogEvents' pages, FilterLogEvents' candidates.
extension SQLiteStore {
    public func putLogEvents(group: String, stream: String, events: [IncomingLogEvent], ingestionTime: Int64) async throws -> LogStream {
        try await pool.write { db in
            let groupId = try Self.existingGroupId(db, group)
            guard let streamId = try Int64.fetchOne(db, sql: "SELECT id FROM log_streams WHERE group_id = ? AND name = ?",
                                                    arguments: [groupId, stream]) else {
                throw LogsError.logStreamNotFound
            }
            let insert = try db.cachedStatement(sql: """
                INSERT INTO log_entries (group_id, stream_id, timestamp, ingest_lag, message) VALUES (?, ?, ?, ?, ?)
                """)
            var bytes = 0
            for event in events {
                try insert.execute(arguments: [groupId, streamId, event.timestamp, ingestionTime - event.timestamp,
                                               Self.storedMessage(event.message)])
                bytes += event.message.utf8.count
            }
            if let first = events.first?.timestamp, let last = events.last?.timestamp {
                try Self.noteAppended(db, stream: streamId, first: first, last: last, bytes: bytes, ingested: ingestionTime)
            }
            let row = try Row.fetchOne(db, sql: "SELECT \(Self.logStreamColumns) FROM log_streams s WHERE s.id = ?", arguments: [streamId])!
            return Self.logStream(row, group: group)
        }
    }

    public func streamEvents(_ query: StreamEventQuery) async throws -> [StoredLogEvent] {
        try await pool.read { db in
            let groupId = try Self.existingGroupId(db, query.group)
            guard let streamId = try Int64.fetchOne(db, sql: "SELECT id FROM log_streams WHERE group_id = ? AND name = ?",
                                                    arguments: [groupId, query.stream]) else {
                throw LogsError.logStreamNotFound
            }
            var sql = "SELECT id, timestamp, ingest_lag, message FROM log_entries WHERE stream_id = ?"
            var arguments: StatementArguments = [streamId]
            if let start = query.startTime { sql += " AND timestamp >= ?"; arguments += [start] }
            if let end = query.endTime { sql += " AND timestamp < ?"; arguments += [end] }
            if query.ascending {
                if query.position != .start {
                    // Spelled so the index's range starts at the timestamp (a row-value comparison would not).
                    sql += " AND timestamp >= ? AND (timestamp > ? OR id > ?)"
                    arguments += [query.position.timestamp, query.position.timestamp, query.position.id]
                }
                sql += " ORDER BY timestamp, id"
            } else {
                if query.position != .end {
                    sql += " AND timestamp <= ? AND (timestamp < ? OR id < ?)"
                    arguments += [query.position.timestamp, query.position.timestamp, query.position.id]
                }
                sql += " ORDER BY timestamp DESC, id DESC"
            }
            sql += " LIMIT ?"
            arguments += [query.limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { Self.storedEvent($0, stream: query.stream) }
        }
    }

    public func groupEvents(_ scan: GroupEventScan) async throws -> [StoredLogEvent] {
        let match = scan.requiredTexts.flatMap(Self.indexQuery)
        return try await pool.read { db in
            let groupId = try Self.existingGroupId(db, scan.group)
            // The group's streams by id, narrowed to those asked for.
            var streamSQL = "SELECT id, name FROM log_streams WHERE group_id = ?"
            var streamArguments: StatementArguments = [groupId]
            if let prefix = scan.streamPrefix {
                streamSQL += " AND name >= ? AND name < ?"
                streamArguments += [prefix, prefix + "\u{10FFFF}"]
            }
            var names: [Int64: String] = [:]
            let wanted = scan.streams.map(Set.init)
            for row in try Row.fetchAll(db, sql: streamSQL, arguments: streamArguments) {
                let name: String = row["name"]
                if let wanted, !wanted.contains(name) { continue }
                names[row["id"]] = name
            }
            let allStreams = scan.streams == nil && scan.streamPrefix == nil
            if names.isEmpty { return [] }
            // The conditions every candidate meets, after the first table's alias `e`.
            var conditions = ""
            var arguments: StatementArguments = []
            if !allStreams {
                conditions += " AND e.stream_id IN (\(names.keys.map(String.init).joined(separator: ",")))"
            } else {
                // Events of a deleted stream wait for their purge: they are no candidates, and must not count against
                // the limit (a short page means the scan reached the end).
                conditions += " AND EXISTS (SELECT 1 FROM log_streams s WHERE s.id = e.stream_id)"
            }
            if let start = scan.startTime { conditions += " AND e.timestamp >= ?"; arguments += [start] }
            if let end = scan.endTime { conditions += " AND e.timestamp < ?"; arguments += [end] }
            if scan.after != .start {
                // Spelled so the index's range starts at the timestamp (a row-value comparison would not).
                conditions += " AND e.timestamp >= ? AND (e.timestamp > ? OR e.id > ?)"
                arguments += [scan.after.timestamp, scan.after.timestamp, scan.after.id]
            }
            conditions += " ORDER BY e.timestamp, e.id LIMIT ?"
            arguments += [scan.limit]
            let columns = "e.id, e.stream_id, e.timestamp, e.ingest_lag, e.message"
            var queries: [(String, StatementArguments)] = []
            if let match {
                // CROSS JOIN keeps the index's hits as the outer loop: the planner would otherwise walk the group in
                // time order and ask the index about every event.
                queries.append(("SELECT \(columns) FROM log_entries_text t CROSS JOIN log_entries e ON e.id = t.rowid WHERE log_entries_text MATCH ? AND e.group_id = ?" + conditions,
                                [match, groupId] + arguments))
                // Compact lines are not in the index: those of a kind that could hold the texts are candidates too.
                let kinds = CompactLogLine.kinds(couldContain: scan.requiredTexts ?? [])
                if !kinds.isEmpty {
                    let bytes = kinds.map { String(format: "x'%02x'", $0.rawValue) }.joined(separator: ",")
                    queries.append(("SELECT \(columns) FROM log_entries e WHERE e.group_id = ? AND typeof(e.message) = 'blob' AND substr(e.message, 1, 1) IN (\(bytes))" + conditions,
                                    [groupId] + arguments))
                }
            } else {
                queries.append(("SELECT \(columns) FROM log_entries e WHERE e.group_id = ?" + conditions, [groupId] + arguments))
            }
            var rows: [Row] = []
            for (sql, arguments) in queries { rows += try Row.fetchAll(db, sql: sql, arguments: arguments) }
            if queries.count > 1 {
                rows.sort { ($0["timestamp"] as Int64, $0["id"] as Int64) < ($1["timestamp"] as Int64, $1["id"] as Int64) }
                rows = Array(rows.prefix(scan.limit))
            }
            // Events of a stream deleted since (purged later) have no name left.
            return rows.compactMap { row in names[row["stream_id"]].map { Self.storedEvent(row, stream: $0) } }
        }
    }

    public func indexMatchCount(_ requiredTexts: [[String]], cap: Int) async throws -> Int? {
        guard let match = Self.indexQuery(requiredTexts) else { return nil }
        return try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT rowid FROM log_entries_text WHERE log_entries_text MATCH ? LIMIT ?)",
                             arguments: [match, cap]) ?? 0
        }
    }

    /// The FTS5 query for texts that must appear: each text becomes its trigrams (the index holds nothing else:
    /// `detail=none`), all required; alternatives are OR'd. Nil when some alternative has no text of 3 characters.
    static func indexQuery(_ requiredTexts: [[String]]) -> String? {
        guard !requiredTexts.isEmpty else { return nil }
        var alternatives: [String] = []
        for conjunction in requiredTexts {
            var trigrams: [String] = []
            var seen = Set<String>()
            for text in conjunction {
                let chars = Array(text)
                guard chars.count >= 3 else { continue }
                for i in 0...(chars.count - 3) {
                    let trigram = String(chars[i..<i + 3])
                    if seen.insert(trigram).inserted { trigrams.append("\"" + trigram.replacingOccurrences(of: "\"", with: "\"\"") + "\"") }
                }
            }
            guard !trigrams.isEmpty else { return nil }
            alternatives.append("(" + trigrams.joined(separator: " AND ") + ")")
        }
        return alternatives.joined(separator: " OR ")
    }

    // MARK: Stored form

    /// A message as stored: the platform's own lines compact (`CompactLogLine`), every other line as text.
    static func storedMessage(_ text: String) -> DatabaseValue {
        if let bytes = CompactLogLine.encode(text) { return Data(bytes).databaseValue }
        return text.databaseValue
    }

    /// The text of a stored message.
    static func message(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .string(let text): text
        case .blob(let data): CompactLogLine.decode(data) ?? ""
        default: ""
        }
    }

    /// An event from a row of `id, timestamp, ingest_lag, message`.
    static func storedEvent(_ row: Row, stream: String) -> StoredLogEvent {
        let timestamp: Int64 = row["timestamp"]
        return StoredLogEvent(id: row["id"], stream: stream, timestamp: timestamp,
                              ingestionTime: timestamp + (row["ingest_lag"] as Int64), message: message(row["message"]))
    }

    // MARK: Retention and purges

    public func deleteExpiredLogEvents(now: Int64, limit: Int) async throws -> Int {
        try await pool.write { db in
            var removed = 0
            let groups = try Row.fetchAll(db, sql: "SELECT id, retention_days FROM log_groups WHERE retention_days IS NOT NULL")
            for group in groups where removed < limit {
                let days: Int64 = group["retention_days"]
                let cutoff = now - days * 86_400_000
                removed += try Self.deleteEvents(db, where: "group_id = ? AND timestamp < ?", [group["id"] as Int64, cutoff],
                                                 limit: limit - removed)
            }
            return removed
        }
    }

    public func purgeDeletedLogs(limit: Int) async throws -> Int {
        try await pool.write { db in
            var removed = 0
            for purge in try Row.fetchAll(db, sql: "SELECT kind, owner_id FROM log_purges") where removed < limit {
                let kind: String = purge["kind"]
                let owner: Int64 = purge["owner_id"]
                let room = limit - removed
                let n = try Self.deleteEvents(db, where: kind == "group" ? "group_id = ?" : "stream_id = ?", [owner], limit: room)
                removed += n
                if n < room {
                    try db.execute(sql: "DELETE FROM log_purges WHERE kind = ? AND owner_id = ?", arguments: [kind, owner])
                }
            }
            return removed
        }
    }

    /// Deletes up to `limit` events matching `condition`, taking their bytes off their streams' `stored_bytes`.
    static func deleteEvents(_ db: Database, where condition: String, _ arguments: StatementArguments, limit: Int) throws -> Int {
        guard limit > 0 else { return 0 }
        var ids: [Int64] = []
        var bytes: [Int64: Int64] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, stream_id, message FROM log_entries WHERE \(condition) LIMIT \(limit)",
                                       arguments: arguments)
        while let row = try rows.next() {
            ids.append(row["id"])
            bytes[row["stream_id"], default: 0] += Int64(message(row["message"]).utf8.count)
        }
        let delete = try db.cachedStatement(sql: "DELETE FROM log_entries WHERE id = ?")
        for id in ids { try delete.execute(arguments: [id]) }
        let update = try db.cachedStatement(sql: "UPDATE log_streams SET stored_bytes = MAX(0, stored_bytes - ?) WHERE id = ?")
        for (stream, size) in bytes { try update.execute(arguments: [size, stream]) }
        return ids.count
    }

    public func storeSizeBytes() async throws -> Int64 {
        fileSizeBytes()
    }

    /// The database file and its write-ahead log, in bytes.
    public func fileSizeBytes() -> Int64 {
        var total: Int64 = 0
        for suffix in ["", "-wal", "-shm"] {
            if let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber {
                total += size.int64Value
            }
        }
        return total
    }
}
