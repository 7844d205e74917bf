import Events
import Foundation
import PostgresNIO

/// EventBridge's archives, their events (text and receive time, numbered in insertion order) and replays.
extension PostgresStore: EventArchiveStore {
    public func loadEventArchives() async throws -> [EventArchive] {
        try await rows("SELECT definition FROM event_archives ORDER BY name").map { try Self.decode(EventArchive.self, try $0.decode(Data.self)) }
    }

    public func saveEventArchive(_ archive: EventArchive) async throws {
        let blob = try Self.encode(archive)
        try await client.query("""
            INSERT INTO event_archives (name, definition) VALUES (\(archive.name), \(blob))
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition
            """, logger: logger)
    }

    public func deleteEventArchive(named name: String) async throws {
        try await transaction { db in
            try await db.query("DELETE FROM event_archive_events WHERE archive = \(name)", logger: logger)
            try await db.query("DELETE FROM event_archives WHERE name = \(name)", logger: logger)
        }
    }

    public func appendArchivedEvent(archive: String, receivedAt: Int64, text: String) async throws {
        try await client.query("""
            INSERT INTO event_archive_events (archive, received_at, event) VALUES (\(archive), \(receivedAt), \(text))
            """, logger: logger)
    }

    public func archivedEvents(archive: String, from: Int64, to: Int64, afterSeq: Int64, limit: Int) async throws -> [ArchivedEvent] {
        try await rows("""
            SELECT seq, received_at, event FROM event_archive_events
            WHERE archive = \(archive) AND received_at BETWEEN \(from) AND \(to) AND seq > \(afterSeq)
            ORDER BY received_at, seq LIMIT \(limit)
            """).map { row in
            let (seq, receivedAt, text) = try row.decode((Int64, Int64, String).self)
            return ArchivedEvent(seq: seq, receivedAt: receivedAt, text: text)
        }
    }

    public func archiveStatistics(archive: String) async throws -> (count: Int64, bytes: Int64) {
        let (count, bytes) = try await rows("""
            SELECT COUNT(*), COALESCE(SUM(octet_length(event)), 0)::BIGINT FROM event_archive_events WHERE archive = \(archive)
            """)[0].decode((Int64, Int64).self)
        return (count, bytes)
    }

    public func purgeArchivedEvents(archive: String, before: Int64) async throws {
        try await client.query("DELETE FROM event_archive_events WHERE archive = \(archive) AND received_at < \(before)", logger: logger)
    }

    public func loadEventReplays() async throws -> [EventReplay] {
        try await rows("SELECT definition FROM event_replays ORDER BY name").map { try Self.decode(EventReplay.self, try $0.decode(Data.self)) }
    }

    public func saveEventReplay(_ replay: EventReplay) async throws {
        let blob = try Self.encode(replay)
        try await client.query("""
            INSERT INTO event_replays (name, definition) VALUES (\(replay.name), \(blob))
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition
            """, logger: logger)
    }
}
