import Catalog
import Foundation
import GRDB

extension SQLiteStore {
    public func publishVersion(
        of functionName: String,
        _ make: @Sendable (FunctionDefinition, FunctionDefinition?, Int) throws -> FunctionDefinition?
    ) async throws -> FunctionDefinition {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT definition, last_version FROM functions WHERE name = ?",
                                             arguments: [functionName]) else {
                throw StoreError.notFound
            }
            let latest = try Self.decode(row["definition"] as Data)
            let last: Int = row["last_version"]
            let newest = try Data.fetchOne(db, sql: "SELECT definition FROM function_versions WHERE function_name = ? ORDER BY version DESC LIMIT 1",
                                           arguments: [functionName]).map(Self.decode)
            guard let version = try make(latest, newest, last + 1) else {
                guard let newest else { throw StoreError.notFound }
                return newest
            }
            try db.execute(
                sql: "INSERT INTO function_versions (function_name, version, code_digest, code_size, definition) VALUES (?, ?, ?, ?, ?)",
                arguments: [functionName, last + 1, version.code.digest.hex, version.code.size, try Self.encode(version)])
            try db.execute(sql: "UPDATE functions SET last_version = ? WHERE name = ?", arguments: [last + 1, functionName])
            return version
        }
    }

    public func version(_ number: Int, of functionName: String) async throws -> FunctionDefinition? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM function_versions WHERE function_name = ? AND version = ?",
                              arguments: [functionName, number])
        }.map(Self.decode)
    }

    public func listVersions(of functionName: String, after: Int?, limit: Int) async throws -> [FunctionDefinition] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM function_versions WHERE function_name = ? AND version > ? ORDER BY version LIMIT ?",
                              arguments: [functionName, after ?? 0, limit])
        }.map(Self.decode)
    }

    public func deleteVersion(_ number: Int, of functionName: String) async throws {
        try await pool.write { db in
            for data in try Data.fetchAll(db, sql: "SELECT definition FROM aliases WHERE function_name = ?", arguments: [functionName]) {
                let alias = try Self.decode(AliasDefinition.self, data)
                if alias.versions.contains(String(number)) { throw StoreError.referenced(by: alias.name) }
            }
            try db.execute(sql: "DELETE FROM function_versions WHERE function_name = ? AND version = ?", arguments: [functionName, number])
            if db.changesCount == 0 { throw StoreError.notFound }
            try db.execute(sql: "DELETE FROM provisioned_concurrency WHERE function_name = ? AND qualifier = ?",
                           arguments: [functionName, String(number)])
            try db.execute(sql: "DELETE FROM policies WHERE resource = ?", arguments: ["function:\(functionName):\(number)"])
            try db.execute(sql: "DELETE FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?", arguments: [functionName, String(number)])
        }
    }

    /// Checks, inside a write, that every version an alias routes to exists.
    private static func checkVersions(of alias: AliasDefinition, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM functions WHERE name = ?", arguments: [alias.functionName]) == true else {
            throw StoreError.notFound
        }
        for version in alias.versions where version != "$LATEST" {
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM function_versions WHERE function_name = ? AND version = ?",
                                           arguments: [alias.functionName, Int(version) ?? -1]) == true
            if !exists { throw StoreError.versionNotFound(version) }
        }
    }

    public func createAlias(_ alias: AliasDefinition) async throws {
        let blob = try Self.encode(alias)
        try await pool.write { db in
            try Self.checkVersions(of: alias, db)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM aliases WHERE function_name = ? AND name = ?",
                                 arguments: [alias.functionName, alias.name]) == true {
                throw StoreError.alreadyExists
            }
            try db.execute(sql: "INSERT INTO aliases (function_name, name, definition) VALUES (?, ?, ?)",
                           arguments: [alias.functionName, alias.name, blob])
        }
    }

    public func alias(_ name: String, of functionName: String) async throws -> AliasDefinition? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM aliases WHERE function_name = ? AND name = ?", arguments: [functionName, name])
        }.map { try Self.decode(AliasDefinition.self, $0) }
    }

    public func aliases(of functionName: String) async throws -> [AliasDefinition] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM aliases WHERE function_name = ? ORDER BY name", arguments: [functionName])
        }.map { try Self.decode(AliasDefinition.self, $0) }
    }

    public func replaceAlias(_ alias: AliasDefinition, expectedRevision: String) async throws {
        let blob = try Self.encode(alias)
        try await pool.write { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT definition FROM aliases WHERE function_name = ? AND name = ?",
                                               arguments: [alias.functionName, alias.name]) else {
                throw StoreError.notFound
            }
            guard try Self.decode(AliasDefinition.self, data).revisionId == expectedRevision else { throw StoreError.revisionMismatch }
            try Self.checkVersions(of: alias, db)
            try db.execute(sql: "UPDATE aliases SET definition = ? WHERE function_name = ? AND name = ?",
                           arguments: [blob, alias.functionName, alias.name])
        }
    }

    public func deleteAlias(_ name: String, of functionName: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM aliases WHERE function_name = ? AND name = ?", arguments: [functionName, name])
            try db.execute(sql: "DELETE FROM provisioned_concurrency WHERE function_name = ? AND qualifier = ?", arguments: [functionName, name])
            try db.execute(sql: "DELETE FROM policies WHERE resource = ?", arguments: ["function:\(functionName):\(name)"])
            try db.execute(sql: "DELETE FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?", arguments: [functionName, name])
            try db.execute(sql: "DELETE FROM function_url_configs WHERE function_name = ? AND qualifier = ?", arguments: [functionName, name])
        }
    }
}

extension SQLiteStore {
    public func publishLayerVersion(named layerName: String,
                                    _ make: @Sendable (Int) -> LayerVersionDefinition) async throws -> LayerVersionDefinition {
        try await pool.write { db in
            let last = try Int.fetchOne(db, sql: "SELECT last_version FROM layer_counters WHERE layer_name = ?", arguments: [layerName]) ?? 0
            let layer = make(last + 1)
            try db.execute(sql: "INSERT INTO layer_counters (layer_name, last_version) VALUES (?, ?) ON CONFLICT(layer_name) DO UPDATE SET last_version = excluded.last_version",
                           arguments: [layerName, last + 1])
            try db.execute(sql: "INSERT INTO layer_versions (layer_name, version, code_digest, code_size, definition) VALUES (?, ?, ?, ?, ?)",
                           arguments: [layerName, last + 1, layer.content.digest.hex, layer.content.size, try Self.encode(layer)])
            return layer
        }
    }

    public func layerVersion(_ number: Int, of layerName: String) async throws -> LayerVersionDefinition? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM layer_versions WHERE layer_name = ? AND version = ?", arguments: [layerName, number])
        }.map { try Self.decode(LayerVersionDefinition.self, $0) }
    }

    public func layerVersions(of layerName: String) async throws -> [LayerVersionDefinition] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM layer_versions WHERE layer_name = ? ORDER BY version DESC", arguments: [layerName])
        }.map { try Self.decode(LayerVersionDefinition.self, $0) }
    }

    public func allLayerVersions() async throws -> [LayerVersionDefinition] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM layer_versions ORDER BY layer_name, version DESC")
        }.map { try Self.decode(LayerVersionDefinition.self, $0) }
    }

    public func deleteLayerVersion(_ number: Int, of layerName: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM layer_versions WHERE layer_name = ? AND version = ?", arguments: [layerName, number])
            try db.execute(sql: "DELETE FROM policies WHERE resource = ?", arguments: ["layer:\(layerName):\(number)"])
        }
    }
}
