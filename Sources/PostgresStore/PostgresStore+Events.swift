import Events
import Foundation
import PostgresNIO

/// EventBridge's buses and rules: one row each, the definition as JSON (the domain keeps them all in memory).
extension PostgresStore: EventStore {
    public func loadEventBuses() async throws -> [EventBus] {
        try await rows("SELECT definition FROM event_buses ORDER BY name").map { try Self.decode(EventBus.self, try $0.decode(Data.self)) }
    }

    public func saveEventBus(_ bus: EventBus) async throws {
        let blob = try Self.encode(bus)
        try await client.query("""
            INSERT INTO event_buses (name, definition) VALUES (\(bus.name), \(blob))
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition
            """, logger: logger)
    }

    public func deleteEventBus(named name: String) async throws {
        try await transaction { db in
            try await db.query("DELETE FROM event_rules WHERE bus = \(name)", logger: logger)
            try await db.query("DELETE FROM event_buses WHERE name = \(name)", logger: logger)
        }
    }

    public func loadEventRules() async throws -> [EventRule] {
        try await rows("SELECT definition FROM event_rules ORDER BY bus, name").map { try Self.decode(EventRule.self, try $0.decode(Data.self)) }
    }

    public func saveEventRule(_ rule: EventRule) async throws {
        let blob = try Self.encode(rule)
        try await client.query("""
            INSERT INTO event_rules (bus, name, definition) VALUES (\(rule.busName), \(rule.name), \(blob))
            ON CONFLICT (bus, name) DO UPDATE SET definition = excluded.definition
            """, logger: logger)
    }

    public func deleteEventRule(_ key: RuleKey) async throws {
        try await client.query("DELETE FROM event_rules WHERE bus = \(key.bus) AND name = \(key.name)", logger: logger)
    }
}
