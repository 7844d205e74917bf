import Catalog
import Foundation
import GRDB

extension SQLiteStore {
    public func enqueue(_ event: AsyncEvent) async throws {
        try await asyncEventWriter.submit(event)
    }

    /// Inserts accepted events, many per transaction under load.
    static func insertEvents(_ events: [AsyncEvent], into pool: DatabasePool) async throws {
        let rows = try events.map { ($0, try encode($0)) }
        try await pool.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO async_events (id, function_name, definition, payload, due_at) VALUES (?, ?, ?, ?, ?)")
            for (event, blob) in rows {
                try insert.execute(arguments: [event.id, event.functionName, blob, Data(event.payload), event.dueAt])
            }
        }
    }

    public func claimDueEvents(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [AsyncEvent] {
        try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT seq, definition, payload FROM async_events WHERE lease_until IS NULL AND due_at <= ? ORDER BY due_at, seq LIMIT ?
                """, arguments: [now, limit])
            var events: [AsyncEvent] = []
            for row in rows {
                try db.execute(sql: "UPDATE async_events SET lease_until = ? WHERE seq = ?", arguments: [leaseUntil, row["seq"] as Int64])
                var event = try Self.decode(AsyncEvent.self, row["definition"])
                event.payload = Array(row["payload"] as Data)
                events.append(event)
            }
            return events
        }
    }

    public func reschedule(_ id: String, attempts: Int, dueAt: Int64) async throws {
        try await pool.write { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT definition FROM async_events WHERE id = ?", arguments: [id]) else { return }
            var event = try Self.decode(AsyncEvent.self, data)
            event.attempts = attempts
            event.dueAt = dueAt
            try db.execute(sql: "UPDATE async_events SET definition = ?, due_at = ?, lease_until = NULL WHERE id = ?",
                           arguments: [try Self.encode(event), dueAt, id])
        }
    }

    public func finish(_ id: String) async throws {
        try await finishedEventWriter.submit(id)
    }

    /// Deletes finished events, many per transaction under load.
    static func deleteEvents(_ ids: [String], from pool: DatabasePool) async throws {
        try await pool.write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM async_events WHERE id = ?")
            for id in ids { try delete.execute(arguments: [id]) }
        }
    }

    public func releaseLeases() async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE async_events SET lease_until = NULL WHERE lease_until IS NOT NULL")
        }
    }

    public func nextDue() async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(due_at) FROM async_events WHERE lease_until IS NULL")
        }
    }

    public func putEventInvokeConfig(_ config: EventInvokeConfig) async throws {
        let blob = try Self.encode(config)
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM functions WHERE name = ?", arguments: [config.functionName]) == true else {
                throw StoreError.notFound
            }
            try db.execute(sql: "INSERT INTO event_invoke_configs (function_name, qualifier, definition) VALUES (?, ?, ?) ON CONFLICT(function_name, qualifier) DO UPDATE SET definition = excluded.definition",
                           arguments: [config.functionName, config.qualifier, blob])
        }
    }

    public func eventInvokeConfig(of functionName: String, qualifier: String) async throws -> EventInvokeConfig? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?",
                              arguments: [functionName, qualifier])
        }.map { try Self.decode(EventInvokeConfig.self, $0) }
    }

    public func eventInvokeConfigs(of functionName: String) async throws -> [EventInvokeConfig] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM event_invoke_configs WHERE function_name = ? ORDER BY qualifier", arguments: [functionName])
        }.map { try Self.decode(EventInvokeConfig.self, $0) }
    }

    public func deleteEventInvokeConfig(of functionName: String, qualifier: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?", arguments: [functionName, qualifier])
            return db.changesCount > 0
        }
    }
}

extension SQLiteStore {
    public func putMapping(_ mapping: EventSourceMapping) async throws {
        let blob = try Self.encode(mapping)
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO event_source_mappings (uuid, function_name, definition) VALUES (?, ?, ?) ON CONFLICT(uuid) DO UPDATE SET function_name = excluded.function_name, definition = excluded.definition",
                           arguments: [mapping.uuid, mapping.functionName, blob])
        }
    }

    public func mapping(_ uuid: String) async throws -> EventSourceMapping? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM event_source_mappings WHERE uuid = ?", arguments: [uuid])
        }.map { try Self.decode(EventSourceMapping.self, $0) }
    }

    public func mappings() async throws -> [EventSourceMapping] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM event_source_mappings ORDER BY uuid")
        }.map { try Self.decode(EventSourceMapping.self, $0) }
    }

    public func deleteMapping(_ uuid: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM event_source_mappings WHERE uuid = ?", arguments: [uuid])
            return db.changesCount > 0
        }
    }
}
