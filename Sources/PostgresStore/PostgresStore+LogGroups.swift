import CloudWatchLogs
import Foundation
import Logging
import PostgresNIO

/// CloudWatch Logs' groups and streams. Names sort by code point (`COLLATE "C"`), as SQLite's do.
extension PostgresStore: LogStore {
    static let logGroupColumns = """
        g.name, g.created, g.retention_days, g.tags,
        (SELECT COALESCE(SUM(stored_bytes), 0)::BIGINT FROM log_streams WHERE group_id = g.id) AS stored
        """

    static func logGroup(_ row: PostgresRow) throws -> LogGroup {
        let (name, created, retention, tagsText, stored) = try row.decode((String, Int64, Int?, String, Int64).self)
        let tags = try JSONDecoder().decode([String: String].self, from: Data(tagsText.utf8))
        return LogGroup(name: name, creationTime: created, retentionInDays: retention, tags: tags, storedBytes: stored)
    }

    static func logTagsText(_ tags: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(tags), as: UTF8.self)
    }

    /// The id of an existing group, else `.logGroupNotFound`.
    static func existingLogGroupId(_ db: PostgresConnection, _ name: String, _ logger: Logger) async throws -> Int64 {
        guard let row = try await db.rows("SELECT id FROM log_groups WHERE name = \(name)", logger).first else {
            throw LogsError.logGroupNotFound
        }
        return try row.decode(Int64.self)
    }

    /// The upper bound of names starting with `prefix`, for a range condition the name index serves.
    static func logPrefixEnd(_ prefix: String) -> String { prefix + "\u{10FFFF}" }

    public func createLogGroup(_ group: LogGroup) async throws {
        let tags = try Self.logTagsText(group.tags)
        let inserted = try await rows("""
            INSERT INTO log_groups (name, created, retention_days, tags)
            VALUES (\(group.name), \(group.creationTime), \(group.retentionInDays), \(tags))
            ON CONFLICT (name) DO NOTHING RETURNING 1
            """)
        if inserted.isEmpty { throw LogsError.logGroupAlreadyExists }
    }

    public func logGroup(named name: String) async throws -> LogGroup? {
        try await rows("SELECT \(unescaped: Self.logGroupColumns) FROM log_groups g WHERE g.name = \(name)").first.map(Self.logGroup)
    }

    public func deleteLogGroup(named name: String) async throws {
        try await transaction { db in
            guard let row = try await db.rows("DELETE FROM log_groups WHERE name = \(name) RETURNING id", logger).first else {
                throw LogsError.logGroupNotFound
            }
            let id = try row.decode(Int64.self)
            try await db.query("INSERT INTO log_purges (kind, owner_id) VALUES ('group', \(id)) ON CONFLICT DO NOTHING", logger: logger)
            try await db.query("DELETE FROM log_metric_filters WHERE log_group = \(name)", logger: logger)
            try await db.query("DELETE FROM log_subscription_filters WHERE log_group = \(name)", logger: logger)
        }
    }

    public func logGroups(prefix: String?, pattern: String?, afterName: String?, limit: Int) async throws -> [LogGroup] {
        var query = QueryBuilder("SELECT \(Self.logGroupColumns) FROM log_groups g WHERE true")
        if let prefix {
            query.append(" AND g.name >= \(try query.bind(prefix)) AND g.name < \(try query.bind(Self.logPrefixEnd(prefix)))")
        }
        if let pattern {
            // ASCII letters only, as SQLite's lower() folds them.
            query.append(" AND strpos(lower(g.name), lower(\(try query.bind(pattern))::text COLLATE \"C\")) > 0")
        }
        if let afterName {
            query.append(" AND g.name > \(try query.bind(afterName))")
        }
        query.append(" ORDER BY g.name LIMIT \(try query.bind(limit))")
        return try await rows(query.query).map(Self.logGroup)
    }

    public func setRetention(group: String, days: Int?) async throws {
        if try await rows("UPDATE log_groups SET retention_days = \(days) WHERE name = \(group) RETURNING 1").isEmpty {
            throw LogsError.logGroupNotFound
        }
    }

    public func updateTags(group: String, set: [String: String], remove: [String]) async throws {
        try await transaction { db in
            guard let row = try await db.rows("SELECT id, tags FROM log_groups WHERE name = \(group) FOR UPDATE", logger).first else {
                throw LogsError.logGroupNotFound
            }
            let (id, text) = try row.decode((Int64, String).self)
            var tags = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
            tags.merge(set) { _, new in new }
            for key in remove { tags[key] = nil }
            try await db.query("UPDATE log_groups SET tags = \(try Self.logTagsText(tags)) WHERE id = \(id)", logger: logger)
        }
    }

    // MARK: Streams

    static let logStreamColumns = "s.name, s.created, s.first_event, s.last_event, s.last_ingestion, s.stored_bytes, s.sequence"

    static func logStream(_ row: PostgresRow, group: String) throws -> LogStream {
        let (name, created, first, last, ingested, stored, sequence) = try row.decode((String, Int64, Int64?, Int64?, Int64?, Int64, Int64).self)
        return LogStream(group: group, name: name, creationTime: created, firstEventTimestamp: first, lastEventTimestamp: last,
                         lastIngestionTime: ingested, storedBytes: stored, sequence: sequence)
    }

    public func createLogStream(group: String, name: String, creationTime: Int64) async throws {
        try await transaction { db in
            // Held so the group is not deleted under the new stream.
            guard let row = try await db.rows("SELECT id FROM log_groups WHERE name = \(group) FOR KEY SHARE", logger).first else {
                throw LogsError.logGroupNotFound
            }
            let groupId = try row.decode(Int64.self)
            let inserted = try await db.rows("""
                INSERT INTO log_streams (group_id, name, created) VALUES (\(groupId), \(name), \(creationTime))
                ON CONFLICT (group_id, name) DO NOTHING RETURNING 1
                """, logger)
            if inserted.isEmpty { throw LogsError.logStreamAlreadyExists }
        }
    }

    public func deleteLogStream(group: String, name: String) async throws {
        try await transaction { db in
            let groupId = try await Self.existingLogGroupId(db, group, logger)
            guard let row = try await db.rows("DELETE FROM log_streams WHERE group_id = \(groupId) AND name = \(name) RETURNING id", logger).first else {
                throw LogsError.logStreamNotFound
            }
            try await db.query("INSERT INTO log_purges (kind, owner_id) VALUES ('stream', \(try row.decode(Int64.self))) ON CONFLICT DO NOTHING",
                               logger: logger)
        }
    }

    public func logStream(group: String, name: String) async throws -> LogStream {
        guard let row = try await rows("""
            SELECT \(unescaped: Self.logStreamColumns) FROM log_streams s JOIN log_groups g ON g.id = s.group_id
            WHERE g.name = \(group) AND s.name = \(name)
            """).first else {
            throw try await logGroup(named: group) == nil ? LogsError.logGroupNotFound : LogsError.logStreamNotFound
        }
        return try Self.logStream(row, group: group)
    }

    public func logStreams(group: String, query streamQuery: LogStreamQuery) async throws -> [LogStream] {
        var query = QueryBuilder("SELECT \(Self.logStreamColumns) FROM log_streams s WHERE s.group_id = ")
        query.append("(SELECT id FROM log_groups WHERE name = \(try query.bind(group)))")
        if let prefix = streamQuery.prefix {
            query.append(" AND s.name >= \(try query.bind(prefix)) AND s.name < \(try query.bind(Self.logPrefixEnd(prefix)))")
        }
        let direction = streamQuery.descending ? "DESC" : "ASC"
        let comparison = streamQuery.descending ? "<" : ">"
        switch streamQuery.order {
        case .logStreamName:
            if let after = streamQuery.afterName {
                query.append(" AND s.name \(comparison) \(try query.bind(after))")
            }
            query.append(" ORDER BY s.name \(direction)")
        case .lastEventTime:
            if let after = streamQuery.afterName {
                query.append(" AND (COALESCE(s.last_event, 0), s.name) \(comparison) (\(try query.bind(streamQuery.afterTime ?? 0)), \(try query.bind(after)))")
            }
            query.append(" ORDER BY COALESCE(s.last_event, 0) \(direction), s.name \(direction)")
        }
        query.append(" LIMIT \(try query.bind(streamQuery.limit))")
        let streams = try await rows(query.query).map { try Self.logStream($0, group: group) }
        if streams.isEmpty, try await logGroup(named: group) == nil { throw LogsError.logGroupNotFound }
        return streams
    }
}
