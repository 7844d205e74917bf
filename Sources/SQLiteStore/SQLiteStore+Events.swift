import Events
import Foundation
import GRDB

/// EventBridge's buses and rules: one row each, the definition as JSON (the domain keeps them all in memory).
extension SQLiteStore: EventStore {
    public func loadEventBuses() async throws -> [EventBus] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM event_buses").map { try Self.decode(EventBus.self, $0) }
        }
    }

    public func saveEventBus(_ bus: EventBus) async throws {
        let data = try Self.encode(bus)
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO event_buses (name, definition) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET definition = excluded.definition",
                           arguments: [bus.name, data])
        }
    }

    public func deleteEventBus(named name: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM event_rules WHERE bus = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM event_buses WHERE name = ?", arguments: [name])
        }
    }

    public func loadEventRules() async throws -> [EventRule] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM event_rules").map { try Self.decode(EventRule.self, $0) }
        }
    }

    public func saveEventRule(_ rule: EventRule) async throws {
        let data = try Self.encode(rule)
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO event_rules (bus, name, definition) VALUES (?, ?, ?)
                ON CONFLICT (bus, name) DO UPDATE SET definition = excluded.definition
                """, arguments: [rule.busName, rule.name, data])
        }
    }

    public func deleteEventRule(_ key: RuleKey) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM event_rules WHERE bus = ? AND name = ?", arguments: [key.bus, key.name])
        }
    }
}
