import Events
import Foundation
import GRDB

/// EventBridge's archives, their events and replays.
extension SQLiteStore: EventArchiveStore {
    public func loadEventArchives() async throws -> [EventArchive] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM event_archives").map { try Self.decode(EventArchive.self, $0) }
        }
    }

    public func saveEventArchive(_ archive: EventArchive) async throws {
        let data = try Self.encode(archive)
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO event_archives (name, definition) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET definition = excluded.definition",
                           arguments: [archive.name, data])
        }
    }

    public func deleteEventArchive(named name: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM event_archive_events WHERE archive = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM event_archives WHERE name = ?", arguments: [name])
        }
    }

    public func appendArchivedEvent(archive: String, receivedAt: Int64, text: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO event_archive_events (archive, received_at, event) VALUES (?, ?, ?)",
                           arguments: [archive, receivedAt, text])
        }
    }

    public func archivedEvents(archive: String, from: Int64, to: Int64, afterSeq: Int64, limit: Int) async throws -> [ArchivedEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT seq, received_at, event FROM event_archive_events
                WHERE archive = ? AND received_at BETWEEN ? AND ? AND seq > ? ORDER BY received_at, seq LIMIT ?
                """, arguments: [archive, from, to, afterSeq, limit]).map {
                ArchivedEvent(seq: $0["seq"], receivedAt: $0["received_at"], text: $0["event"])
            }
        }
    }

    public func archiveStatistics(archive: String) async throws -> (count: Int64, bytes: Int64) {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(CAST(event AS BLOB))), 0) AS bytes FROM event_archive_events WHERE archive = ?",
                                       arguments: [archive])
            return (row?["n"] ?? 0, row?["bytes"] ?? 0)
        }
    }

    public func purgeArchivedEvents(archive: String, before: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM event_archive_events WHERE archive = ? AND received_at < ?", arguments: [archive, before])
        }
    }

    public func loadEventReplays() async throws -> [EventReplay] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM event_replays").map { try Self.decode(EventReplay.self, $0) }
        }
    }

    public func saveEventReplay(_ replay: EventReplay) async throws {
        let data = try Self.encode(replay)
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO event_replays (name, definition) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET definition = excluded.definition",
                           arguments: [replay.name, data])
        }
    }
}
