import CloudWatchLogs
import Foundation
import GRDB

/// CloudWatch Logs' groups and streams.
extension SQLiteStore {
    static let logGroupColumns = """
        g.id, g.name, g.created, g.retention_days, g.tags,
        (SELECT COALESCE(SUM(stored_bytes), 0) FROM log_streams WHERE group_id = g.id) AS stored
        """

    static func logGroup(_ row: Row) throws -> LogGroup {
        let tagsText: String = row["tags"]
        let tags = try JSONDecoder().decode([String: String].self, from: Data(tagsText.utf8))
        return LogGroup(name: row["name"], creationTime: row["created"], retentionInDays: row["retention_days"],
                        tags: tags, storedBytes: row["stored"])
    }

    static func tagsText(_ tags: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(tags), as: UTF8.self)
    }

    /// The id of an existing group, else `.logGroupNotFound`.
    static func existingGroupId(_ db: Database, _ name: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM log_groups WHERE name = ?", arguments: [name]) else {
            throw LogsError.logGroupNotFound
        }
        return id
    }
}

extension SQLiteStore: LogStore {
    public func createLogGroup(_ group: LogGroup) async throws {
        let tags = try Self.tagsText(group.tags)
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM log_groups WHERE name = ?", arguments: [group.name]) == true {
                throw LogsError.logGroupAlreadyExists
            }
            try db.execute(sql: "INSERT INTO log_groups (name, created, retention_days, tags) VALUES (?, ?, ?, ?)",
                           arguments: [group.name, group.creationTime, group.retentionInDays, tags])
        }
    }

    public func logGroup(named name: String) async throws -> LogGroup? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.logGroupColumns) FROM log_groups g WHERE g.name = ?", arguments: [name])
                .map(Self.logGroup)
        }
    }

    public func deleteLogGroup(named name: String) async throws {
        try await pool.write { db in
            let id = try Self.existingGroupId(db, name)
            try db.execute(sql: "INSERT OR IGNORE INTO log_purges (kind, owner_id) VALUES ('group', ?)", arguments: [id])
            try db.execute(sql: "DELETE FROM log_groups WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM log_metric_filters WHERE log_group = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM log_subscription_filters WHERE log_group = ?", arguments: [name])
        }
    }

    public func logGroups(prefix: String?, pattern: String?, afterName: String?, limit: Int) async throws -> [LogGroup] {
        try await pool.read { db in
            var sql = "SELECT \(Self.logGroupColumns) FROM log_groups g WHERE 1"
            var arguments: StatementArguments = []
            if let prefix {
                sql += " AND g.name >= ? AND g.name < ?"
                arguments += [prefix, prefix + "\u{10FFFF}"]
            }
            if let pattern {
                sql += " AND instr(lower(g.name), lower(?)) > 0"
                arguments += [pattern]
            }
            if let afterName {
                sql += " AND g.name > ?"
                arguments += [afterName]
            }
            sql += " ORDER BY g.name LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.logGroup)
        }
    }

    public func setRetention(group: String, days: Int?) async throws {
        try await pool.write { db in
            let id = try Self.existingGroupId(db, group)
            try db.execute(sql: "UPDATE log_groups SET retention_days = ? WHERE id = ?", arguments: [days, id])
        }
    }

    public func updateTags(group: String, set: [String: String], remove: [String]) async throws {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, tags FROM log_groups WHERE name = ?", arguments: [group]) else {
                throw LogsError.logGroupNotFound
            }
            let text: String = row["tags"]
            var tags = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
            tags.merge(set) { _, new in new }
            for key in remove { tags[key] = nil }
            try db.execute(sql: "UPDATE log_groups SET tags = ? WHERE id = ?", arguments: [try Self.tagsText(tags), row["id"] as Int64])
        }
    }

    // MARK: Streams

    static let logStreamColumns = "s.name, s.created, s.first_event, s.last_event, s.last_ingestion, s.stored_bytes, s.sequence"

    static func logStream(_ row: Row, group: String) -> LogStream {
        LogStream(group: group, name: row["name"], creationTime: row["created"], firstEventTimestamp: row["first_event"],
                  lastEventTimestamp: row["last_event"], lastIngestionTime: row["last_ingestion"],
                  storedBytes: row["stored_bytes"], sequence: row["sequence"])
    }

    public func createLogStream(group: String, name: String, creationTime: Int64) async throws {
        try await pool.write { db in
            let groupId = try Self.existingGroupId(db, group)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM log_streams WHERE group_id = ? AND name = ?", arguments: [groupId, name]) == true {
                throw LogsError.logStreamAlreadyExists
            }
            try db.execute(sql: "INSERT INTO log_streams (group_id, name, created) VALUES (?, ?, ?)", arguments: [groupId, name, creationTime])
        }
    }

    public func deleteLogStream(group: String, name: String) async throws {
        try await pool.write { db in
            let groupId = try Self.existingGroupId(db, group)
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM log_streams WHERE group_id = ? AND name = ?",
                                              arguments: [groupId, name]) else {
                throw LogsError.logStreamNotFound
            }
            try db.execute(sql: "INSERT OR IGNORE INTO log_purges (kind, owner_id) VALUES ('stream', ?)", arguments: [id])
            try db.execute(sql: "DELETE FROM log_streams WHERE id = ?", arguments: [id])
        }
    }

    public func logStream(group: String, name: String) async throws -> LogStream {
        try await pool.read { db in
            let groupId = try Self.existingGroupId(db, group)
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.logStreamColumns) FROM log_streams s WHERE s.group_id = ? AND s.name = ?",
                                             arguments: [groupId, name]) else {
                throw LogsError.logStreamNotFound
            }
            return Self.logStream(row, group: group)
        }
    }

    public func logStreams(group: String, query: LogStreamQuery) async throws -> [LogStream] {
        try await pool.read { db in
            let groupId = try Self.existingGroupId(db, group)
            var sql = "SELECT \(Self.logStreamColumns) FROM log_streams s WHERE s.group_id = ?"
            var arguments: StatementArguments = [groupId]
            if let prefix = query.prefix {
                sql += " AND s.name >= ? AND s.name < ?"
                arguments += [prefix, prefix + "\u{10FFFF}"]
            }
            let direction = query.descending ? "DESC" : "ASC"
            let comparison = query.descending ? "<" : ">"
            switch query.order {
            case .logStreamName:
                if let after = query.afterName {
                    sql += " AND s.name \(comparison) ?"
                    arguments += [after]
                }
                sql += " ORDER BY s.name \(direction)"
            case .lastEventTime:
                if let after = query.afterName {
                    sql += " AND (COALESCE(s.last_event, 0), s.name) \(comparison) (?, ?)"
                    arguments += [query.afterTime ?? 0, after]
                }
                sql += " ORDER BY COALESCE(s.last_event, 0) \(direction), s.name \(direction)"
            }
            sql += " LIMIT ?"
            arguments += [query.limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { Self.logStream($0, group: group) }
        }
    }
}
