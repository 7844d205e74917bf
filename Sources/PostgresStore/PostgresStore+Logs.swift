import CloudWatchLogs
import FunctionLogs
import Logging
import PostgresNIO

/// Function logs from `LogWriter`: groups and streams are created on first write, as Lambda creates them, also when
/// several nodes write the first lines of one group at once (the unique names decide, the others use the winner's row).
extension PostgresStore: LogEventStore {
    public func appendLogEvents(_ events: [FunctionLogs.LogEvent], newGroupRetentionDays: Int?) async throws {
        guard !events.isEmpty else { return }
        let now = LogNames.nowMs()
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await appendLogEventsOnce(events, newGroupRetentionDays: newGroupRetentionDays, now: now)
                return
            } catch LogStreamVanished.vanished where attempt < 3 {
                continue
            }
        }
    }

    private func appendLogEventsOnce(_ events: [FunctionLogs.LogEvent], newGroupRetentionDays: Int?, now: Int64) async throws {
        var pairs: [LogStreamKey] = []
        var seen = Set<LogStreamKey>()
        for event in events where seen.insert(LogStreamKey(group: event.group, stream: event.stream)).inserted {
            pairs.append(LogStreamKey(group: event.group, stream: event.stream))
        }
        try await transaction { db in
            // Usually all exist: found and locked in one statement, streams in id order (as every writer of several
            // streams locks them), groups held so they are not deleted meanwhile.
            var ids = try await Self.lockLogStreams(db, pairs, logger)
            if ids.count < pairs.count {
                for pair in pairs where ids[pair] == nil {
                    let group = try await Self.logGroupId(db, name: pair.group, createWithRetention: newGroupRetentionDays, now: now, logger)
                    _ = try await Self.logStreamId(db, group: group, name: pair.stream, now: now, logger)
                }
                ids = try await Self.lockLogStreams(db, pairs, logger)
                // A stream deleted again since it was created or looked up: start over.
                guard ids.count == pairs.count else { throw LogStreamVanished.vanished }
            }
            var batch = LogEntryBatch()
            for event in events {
                let target = ids[LogStreamKey(group: event.group, stream: event.stream)]!
                batch.append(group: target.group, stream: target.stream, timestamp: event.timestamp, lag: now - event.timestamp,
                             message: event.message)
            }
            try await db.query(try batch.appendStatement(ingested: now).query, logger: logger)
        }
    }

    /// The ids of those of `pairs` that exist, their streams locked `FOR UPDATE` in id order and their groups
    /// `FOR KEY SHARE`.
    static func lockLogStreams(_ db: PostgresConnection, _ pairs: [LogStreamKey],
                               _ logger: Logger) async throws -> [LogStreamKey: (group: Int64, stream: Int64)] {
        let rows = try await db.rows("""
            SELECT u.g, u.s, g.id, s.id FROM unnest(\(pairs.map(\.group)), \(pairs.map(\.stream))) AS u(g, s)
            JOIN log_groups g ON g.name = u.g JOIN log_streams s ON s.group_id = g.id AND s.name = u.s
            ORDER BY s.id FOR KEY SHARE OF g FOR UPDATE OF s
            """, logger)
        var ids: [LogStreamKey: (group: Int64, stream: Int64)] = [:]
        for row in rows {
            let (group, stream, groupId, streamId) = try row.decode((String, String, Int64, Int64).self)
            ids[LogStreamKey(group: group, stream: stream)] = (groupId, streamId)
        }
        return ids
    }

    /// The group's id, created (with the given retention) when missing; held `FOR KEY SHARE` so it is not deleted
    /// before the transaction ends.
    static func logGroupId(_ db: PostgresConnection, name: String, createWithRetention days: Int?, now: Int64,
                           _ logger: Logger) async throws -> Int64 {
        for _ in 0..<3 {
            if let row = try await db.rows("SELECT id FROM log_groups WHERE name = \(name) FOR KEY SHARE", logger).first {
                return try row.decode(Int64.self)
            }
            if let row = try await db.rows("""
                INSERT INTO log_groups (name, created, retention_days) VALUES (\(name), \(now), \(days))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """, logger).first {
                return try row.decode(Int64.self)
            }
            // Created by another writer since the first look (or deleted again): look again.
        }
        throw LogStreamVanished.vanished
    }

    /// The stream's id, created when missing.
    static func logStreamId(_ db: PostgresConnection, group: Int64, name: String, now: Int64, _ logger: Logger) async throws -> Int64 {
        for _ in 0..<3 {
            if let row = try await db.rows("SELECT id FROM log_streams WHERE group_id = \(group) AND name = \(name)", logger).first {
                return try row.decode(Int64.self)
            }
            if let row = try await db.rows("""
                INSERT INTO log_streams (group_id, name, created) VALUES (\(group), \(name), \(now))
                ON CONFLICT (group_id, name) DO NOTHING RETURNING id
                """, logger).first {
                return try row.decode(Int64.self)
            }
        }
        throw LogStreamVanished.vanished
    }
}

/// A stream by its group's name and its own.
struct LogStreamKey: Hashable {
    var group: String
    var stream: String
}

/// A group or stream the append looked up was deleted before it was locked: the append starts again.
private enum LogStreamVanished: Error {
    case vanished
}
