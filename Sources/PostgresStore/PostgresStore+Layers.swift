import Catalog
import Foundation
import PostgresNIO

/// Layer versions: numbers come from a counter row incremented in the publishing transaction, so they are never
/// reused, whichever node publishes.
extension PostgresStore {
    public func publishLayerVersion(named layerName: String,
                                    _ make: @Sendable (Int) -> LayerVersionDefinition) async throws -> LayerVersionDefinition {
        try await transaction { db in
            let number = try await db.rows("""
                INSERT INTO layer_counters (layer_name, last_version) VALUES (\(layerName), 1)
                ON CONFLICT (layer_name) DO UPDATE SET last_version = layer_counters.last_version + 1
                RETURNING last_version
                """, logger)[0].decode(Int.self)
            let layer = make(number)
            let blob = try Self.encode(layer)
            try await db.query("""
                INSERT INTO layer_versions (layer_name, version, code_digest, code_size, definition)
                VALUES (\(layerName), \(number), \(layer.content.digest.hex), \(layer.content.size), \(blob))
                """, logger: logger)
            return layer
        }
    }

    public func layerVersion(_ number: Int, of layerName: String) async throws -> LayerVersionDefinition? {
        try await rows("SELECT definition FROM layer_versions WHERE layer_name = \(layerName) AND version = \(number)")
            .first.map { try Self.decode(LayerVersionDefinition.self, try $0.decode(Data.self)) }
    }

    public func layerVersions(of layerName: String) async throws -> [LayerVersionDefinition] {
        try await rows("SELECT definition FROM layer_versions WHERE layer_name = \(layerName) ORDER BY version DESC")
            .map { try Self.decode(LayerVersionDefinition.self, try $0.decode(Data.self)) }
    }

    public func allLayerVersions() async throws -> [LayerVersionDefinition] {
        try await rows("SELECT definition FROM layer_versions ORDER BY layer_name, version DESC")
            .map { try Self.decode(LayerVersionDefinition.self, try $0.decode(Data.self)) }
    }

    public func deleteLayerVersion(_ number: Int, of layerName: String) async throws {
        try await transaction { db in
            try await db.query("DELETE FROM layer_versions WHERE layer_name = \(layerName) AND version = \(number)", logger: logger)
            try await db.query("DELETE FROM policies WHERE resource = \("layer:\(layerName):\(number)")", logger: logger)
        }
    }
}
