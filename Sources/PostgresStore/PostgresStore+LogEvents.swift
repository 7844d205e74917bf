import CloudWatchLogs
import Foundation
import Logging
import PostgresNIO

/// CloudWatch Logs' events: PutLogEvents, GetLogEvents' pages, FilterLogEvents' candidates, retention and purges.
/// A PutLogEvents locks its stream's row before it inserts, so two batches to one stream (from any nodes) are stored one
/// after the other and the stream's ids grow in the order the batches commit.
extension PostgresStore {
    public func putLogEvents(group: String, stream: String, events: [IncomingLogEvent], ingestionTime: Int64) async throws -> LogStream {
        try await transaction { db in
            guard let row = try await db.rows("""
                SELECT g.id, s.id FROM log_streams s JOIN log_groups g ON g.id = s.group_id
                WHERE g.name = \(group) AND s.name = \(stream) FOR UPDATE OF s
                """, logger).first else {
                throw try await Self.missingLogGroupOrStream(db, group: group, logger)
            }
            let (groupId, streamId) = try row.decode((Int64, Int64).self)
            var batch = LogEntryBatch()
            for event in events {
                batch.append(group: groupId, stream: streamId, timestamp: event.timestamp, lag: ingestionTime - event.timestamp,
                             message: event.message)
            }
            let updated = batch.isEmpty
                ? try await db.rows("SELECT \(unescaped: Self.logStreamColumns) FROM log_streams s WHERE s.id = \(streamId)", logger)
                : try await db.rows(try batch.appendStatement(ingested: ingestionTime).query, logger)
            return try Self.logStream(updated[0], group: group)
        }
    }

    /// The error for a group and stream not found together: the group is missing, or else the stream.
    static func missingLogGroupOrStream(_ db: PostgresConnection, group: String, _ logger: Logger) async throws -> LogsError {
        _ = try await existingLogGroupId(db, group, logger)
        return .logStreamNotFound
    }

    public func streamEvents(_ streamQuery: StreamEventQuery) async throws -> [StoredLogEvent] {
        var query = QueryBuilder("SELECT \(Self.logEntryColumns) FROM log_entries e WHERE e.stream_id = ")
        query.append("""
            (SELECT s.id FROM log_streams s JOIN log_groups g ON g.id = s.group_id
             WHERE g.name = \(try query.bind(streamQuery.group)) AND s.name = \(try query.bind(streamQuery.stream)))
            """)
        if let start = streamQuery.startTime { query.append(" AND e.event_time >= \(try query.bind(start))") }
        if let end = streamQuery.endTime { query.append(" AND e.event_time < \(try query.bind(end))") }
        let position = streamQuery.position
        if streamQuery.ascending {
            if position != .start {
                query.append(" AND (e.event_time, e.id) > (\(try query.bind(position.timestamp)), \(try query.bind(position.id)))")
            }
            query.append(" ORDER BY e.event_time, e.id")
        } else {
            if position != .end {
                query.append(" AND (e.event_time, e.id) < (\(try query.bind(position.timestamp)), \(try query.bind(position.id)))")
            }
            query.append(" ORDER BY e.event_time DESC, e.id DESC")
        }
        query.append(" LIMIT \(try query.bind(streamQuery.limit))")
        let events = try await rows(query.query).map { try Self.storedLogEvent($0, stream: streamQuery.stream) }
        // Nothing found: say so if the group or the stream does not exist.
        if events.isEmpty { _ = try await logStream(group: streamQuery.group, name: streamQuery.stream) }
        return events
    }

    /// One statement (one snapshot): each kind of candidate (all rows; or text rows the trigram index finds, compact
    /// rows of a kind that could hold the texts, rows with a NUL character) in time order up to the limit, merged.
    /// Events of streams deleted since (purged later) are skipped before the limit, so fewer than `limit` events means
    /// the scan reached the end.
    public func groupEvents(_ scan: GroupEventScan) async throws -> [StoredLogEvent] {
        var query = QueryBuilder("")
        let group = try query.bind(scan.group)
        let limit = try query.bind(scan.limit)
        // The conditions every candidate meets.
        var conditions = " WHERE e.group_id = (SELECT id FROM log_groups WHERE name = \(group))"
        if scan.streams == nil && scan.streamPrefix == nil {
            conditions += " AND EXISTS (SELECT 1 FROM log_streams s WHERE s.id = e.stream_id)"
        } else {
            conditions += " AND e.stream_id IN (SELECT s.id FROM log_streams s WHERE s.group_id = e.group_id"
            if let streams = scan.streams { conditions += " AND s.name = ANY(\(try query.bind(streams)))" }
            if let prefix = scan.streamPrefix {
                conditions += " AND s.name >= \(try query.bind(prefix)) AND s.name < \(try query.bind(Self.logPrefixEnd(prefix)))"
            }
            conditions += ")"
        }
        if let start = scan.startTime { conditions += " AND e.event_time >= \(try query.bind(start))" }
        if let end = scan.endTime { conditions += " AND e.event_time < \(try query.bind(end))" }
        if scan.after != .start {
            conditions += " AND (e.event_time, e.id) > (\(try query.bind(scan.after.timestamp)), \(try query.bind(scan.after.id)))"
        }
        var narrowings: [String] = []
        if let required = scan.requiredTexts, !required.isEmpty {
            narrowings.append(" AND " + (try Self.textCondition(required, &query)))
            let kinds = CompactLogLine.kinds(couldContain: required)
            if !kinds.isEmpty {
                narrowings.append(" AND e.compact IS NOT NULL AND get_byte(e.compact, 0) = ANY(\(try query.bind(kinds.map { Int16($0.rawValue) })))")
            }
            // Lines with a NUL character (rare, and in neither) are always offered.
            narrowings.append(" AND e.raw_message IS NOT NULL")
        } else {
            narrowings.append("")
        }
        let arms = narrowings.map { "(SELECT \(Self.logEntryColumns) FROM log_entries e\(conditions)\($0) ORDER BY e.event_time, e.id LIMIT \(limit))" }
        query.append("""
            SELECT c.*, s.name FROM (\(arms.joined(separator: " UNION ALL "))) c JOIN log_streams s ON s.id = c.stream_id
            ORDER BY c.event_time, c.id LIMIT \(limit)
            """)
        let events = try await rows(query.query).map { row in
            let (id, _, timestamp, lag, text, bytes, raw, stream) = try row.decode((Int64, Int64, Int64, Int64, String?, Data?, Bool, String).self)
            return Self.storedLogEvent(id: id, stream: stream, timestamp: timestamp, lag: lag, text: text, bytes: bytes, raw: raw)
        }
        if events.isEmpty, try await logGroup(named: scan.group) == nil { throw LogsError.logGroupNotFound }
        return events
    }

    public func indexMatchCount(_ requiredTexts: [[String]], cap: Int) async throws -> Int? {
        // The trigram index serves only texts of three characters or more: one in every alternative.
        guard !requiredTexts.isEmpty, requiredTexts.allSatisfy({ $0.contains { $0.count >= 3 } }) else { return nil }
        var query = QueryBuilder("SELECT count(*)::BIGINT FROM (SELECT 1 FROM log_entries e WHERE e.text_message IS NOT NULL AND ")
        query.append(try Self.textCondition(requiredTexts, &query))
        query.append(" LIMIT \(try query.bind(cap))) hits")
        return Int(try await rows(query.query)[0].decode(Int64.self))
    }

    /// `(text LIKE '%a%' AND text LIKE '%b%') OR (…)` for texts that must appear (case-sensitive, `%`, `_` and `\` escaped),
    /// which the trigram index answers.
    static func textCondition(_ requiredTexts: [[String]], _ query: inout QueryBuilder) throws -> String {
        var alternatives: [String] = []
        for conjunction in requiredTexts {
            var terms: [String] = []
            for text in conjunction where !text.isEmpty {
                terms.append("e.text_message LIKE \(try query.bind("%" + likeEscaped(text) + "%")) ESCAPE '\\'")
            }
            alternatives.append(terms.isEmpty ? "e.text_message IS NOT NULL" : "(" + terms.joined(separator: " AND ") + ")")
        }
        return "(" + alternatives.joined(separator: " OR ") + ")"
    }

    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "\\" || c == "%" || c == "_" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    // MARK: Stored form

    static let logEntryColumns = """
        e.id, e.stream_id, e.event_time, e.ingest_lag, e.text_message, COALESCE(e.compact, e.raw_message) AS bytes,
        e.raw_message IS NOT NULL AS raw
        """

    /// An event from a row of `logEntryColumns`.
    static func storedLogEvent(_ row: PostgresRow, stream: String) throws -> StoredLogEvent {
        let (id, _, timestamp, lag, text, bytes, raw) = try row.decode((Int64, Int64, Int64, Int64, String?, Data?, Bool).self)
        return storedLogEvent(id: id, stream: stream, timestamp: timestamp, lag: lag, text: text, bytes: bytes, raw: raw)
    }

    /// An event from its stored columns: its text, or its compact or raw bytes.
    static func storedLogEvent(id: Int64, stream: String, timestamp: Int64, lag: Int64, text: String?, bytes: Data?, raw: Bool) -> StoredLogEvent {
        let message = text ?? bytes.map { storedLogMessage($0, raw: raw) } ?? ""
        return StoredLogEvent(id: id, stream: stream, timestamp: timestamp, ingestionTime: timestamp + lag, message: message)
    }

    /// The text of a message stored as bytes: compact (`CompactLogLine`) or raw UTF-8.
    static func storedLogMessage(_ bytes: Data, raw: Bool) -> String {
        raw ? String(decoding: bytes, as: UTF8.self) : CompactLogLine.decode(bytes) ?? ""
    }

    // MARK: Retention and purges

    public func deleteExpiredLogEvents(now: Int64, limit: Int) async throws -> Int {
        try await transaction { db in
            var removed = 0
            let groups = try await db.rows("SELECT id, retention_days FROM log_groups WHERE retention_days IS NOT NULL ORDER BY id", logger)
            var bytes: [Int64: Int64] = [:]
            for group in groups where removed < limit {
                let (id, days) = try group.decode((Int64, Int64).self)
                let cutoff = now - days * 86_400_000
                // Rows another node is deleting right now are skipped (and counted by it).
                let deleted = try await db.rows("""
                    DELETE FROM log_entries WHERE id IN (
                        SELECT id FROM log_entries WHERE group_id = \(id) AND event_time < \(cutoff)
                        LIMIT \(limit - removed) FOR UPDATE SKIP LOCKED)
                    RETURNING stream_id, COALESCE(octet_length(text_message), octet_length(raw_message), 0)::BIGINT, compact
                    """, logger)
                for row in deleted {
                    let (stream, plainBytes, compact) = try row.decode((Int64, Int64, Data?).self)
                    bytes[stream, default: 0] += compact.map { Int64(Self.storedLogMessage($0, raw: false).utf8.count) } ?? plainBytes
                }
                removed += deleted.count
            }
            // In id order, as every writer of several streams locks them.
            for (stream, size) in bytes.sorted(by: { $0.key < $1.key }) {
                try await db.query("UPDATE log_streams SET stored_bytes = GREATEST(0, stored_bytes - \(size)) WHERE id = \(stream)", logger: logger)
            }
            return removed
        }
    }

    public func purgeDeletedLogs(limit: Int) async throws -> Int {
        try await transaction { db in
            var removed = 0
            // Each purge is worked on by one node at a time; its owner (group or stream) is gone, so nothing else
            // writes its events.
            let purges = try await db.rows("SELECT kind, owner_id FROM log_purges ORDER BY kind, owner_id FOR UPDATE SKIP LOCKED", logger)
            for purge in purges where removed < limit {
                let (kind, owner) = try purge.decode((String, Int64).self)
                let column = kind == "group" ? "group_id" : "stream_id"
                let room = limit - removed
                let n = try await db.rows("""
                    DELETE FROM log_entries WHERE id IN (SELECT id FROM log_entries WHERE \(unescaped: column) = \(owner) LIMIT \(room))
                    RETURNING 1
                    """, logger).count
                removed += n
                if n < room, try await db.rows("SELECT 1 FROM log_entries WHERE \(unescaped: column) = \(owner) LIMIT 1", logger).isEmpty {
                    try await db.query("DELETE FROM log_purges WHERE kind = \(kind) AND owner_id = \(owner)", logger: logger)
                }
            }
            return removed
        }
    }

    /// The database's size on disk, in bytes (every table of the store, not only the logs).
    public func storeSizeBytes() async throws -> Int64 {
        try await rows("SELECT pg_database_size(current_database())::BIGINT")[0].decode(Int64.self)
    }
}
