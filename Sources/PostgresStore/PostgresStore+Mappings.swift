import Catalog
import Foundation
import PostgresNIO

/// Event source mappings.
extension PostgresStore {
    public func putMapping(_ mapping: EventSourceMapping) async throws {
        let blob = try Self.encode(mapping)
        try await client.query("""
            INSERT INTO event_source_mappings (uuid, function_name, definition) VALUES (\(mapping.uuid), \(mapping.functionName), \(blob))
            ON CONFLICT (uuid) DO UPDATE SET function_name = excluded.function_name, definition = excluded.definition
            """, logger: logger)
    }

    public func mapping(_ uuid: String) async throws -> EventSourceMapping? {
        try await rows("SELECT definition FROM event_source_mappings WHERE uuid = \(uuid)")
            .first.map { try Self.decode(EventSourceMapping.self, try $0.decode(Data.self)) }
    }

    public func mappings() async throws -> [EventSourceMapping] {
        try await rows("SELECT definition FROM event_source_mappings ORDER BY uuid")
            .map { try Self.decode(EventSourceMapping.self, try $0.decode(Data.self)) }
    }

    public func deleteMapping(_ uuid: String) async throws -> Bool {
        try await !rows("DELETE FROM event_source_mappings WHERE uuid = \(uuid) RETURNING 1").isEmpty
    }
}
