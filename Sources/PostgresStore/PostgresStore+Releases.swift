import Catalog
import Foundation
import PostgresNIO

/// Published versions and aliases. Writers of a function's versions and aliases lock its row first, so a version
/// cannot go while an alias to it is being created elsewhere.
extension PostgresStore {
    public func publishVersion(
        of functionName: String,
        _ make: @Sendable (FunctionDefinition, FunctionDefinition?, Int) throws -> FunctionDefinition?
    ) async throws -> FunctionDefinition {
        try await transaction { db in
            guard let row = try await db.rows("""
                SELECT definition, last_version FROM functions WHERE name = \(functionName) FOR UPDATE
                """, logger).first else {
                throw StoreError.notFound
            }
            let (definition, last) = try row.decode((Data, Int).self)
            let latest = try Self.decode(FunctionDefinition.self, definition)
            let newest = try await db.rows("""
                SELECT definition FROM function_versions WHERE function_name = \(functionName) ORDER BY version DESC LIMIT 1
                """, logger).first.map { try Self.decode(FunctionDefinition.self, try $0.decode(Data.self)) }
            guard let version = try make(latest, newest, last + 1) else {
                guard let newest else { throw StoreError.notFound }
                return newest
            }
            let blob = try Self.encode(version)
            try await db.query("""
                INSERT INTO function_versions (function_name, version, code_digest, code_size, definition)
                VALUES (\(functionName), \(last + 1), \(version.code.digest.hex), \(version.code.size), \(blob))
                """, logger: logger)
            try await db.query("UPDATE functions SET last_version = \(last + 1) WHERE name = \(functionName)", logger: logger)
            return version
        }
    }

    public func version(_ number: Int, of functionName: String) async throws -> FunctionDefinition? {
        try await rows("SELECT definition FROM function_versions WHERE function_name = \(functionName) AND version = \(number)")
            .first.map { try Self.decode(FunctionDefinition.self, try $0.decode(Data.self)) }
    }

    public func listVersions(of functionName: String, after: Int?, limit: Int) async throws -> [FunctionDefinition] {
        try await rows("""
            SELECT definition FROM function_versions WHERE function_name = \(functionName) AND version > \(after ?? 0)
            ORDER BY version LIMIT \(limit)
            """).map { try Self.decode(FunctionDefinition.self, try $0.decode(Data.self)) }
    }

    public func deleteVersion(_ number: Int, of functionName: String) async throws {
        try await transaction { db in
            try await db.query("SELECT 1 FROM functions WHERE name = \(functionName) FOR UPDATE", logger: logger)
            for row in try await db.rows("SELECT definition FROM aliases WHERE function_name = \(functionName)", logger) {
                let alias = try Self.decode(AliasDefinition.self, try row.decode(Data.self))
                if alias.versions.contains(String(number)) { throw StoreError.referenced(by: alias.name) }
            }
            let deleted = try await db.rows("""
                DELETE FROM function_versions WHERE function_name = \(functionName) AND version = \(number) RETURNING 1
                """, logger)
            if deleted.isEmpty { throw StoreError.notFound }
            let qualifier = String(number)
            try await db.query("DELETE FROM provisioned_concurrency WHERE function_name = \(functionName) AND qualifier = \(qualifier)",
                               logger: logger)
            try await db.query("DELETE FROM policies WHERE resource = \("function:\(functionName):\(number)")", logger: logger)
            try await db.query("DELETE FROM event_invoke_configs WHERE function_name = \(functionName) AND qualifier = \(qualifier)",
                               logger: logger)
        }
    }

    /// Checks, inside a write, that the function exists (locking its row) and every version the alias routes to does.
    private func checkVersions(of alias: AliasDefinition, _ db: PostgresConnection) async throws {
        guard try await !db.rows("SELECT 1 FROM functions WHERE name = \(alias.functionName) FOR UPDATE", logger).isEmpty else {
            throw StoreError.notFound
        }
        for version in alias.versions where version != "$LATEST" {
            let exists = try await !db.rows("""
                SELECT 1 FROM function_versions WHERE function_name = \(alias.functionName) AND version = \(Int(version) ?? -1)
                """, logger).isEmpty
            if !exists { throw StoreError.versionNotFound(version) }
        }
    }

    public func createAlias(_ alias: AliasDefinition) async throws {
        let blob = try Self.encode(alias)
        try await transaction { db in
            try await checkVersions(of: alias, db)
            let inserted = try await db.rows("""
                INSERT INTO aliases (function_name, name, definition) VALUES (\(alias.functionName), \(alias.name), \(blob))
                ON CONFLICT (function_name, name) DO NOTHING RETURNING 1
                """, logger)
            if inserted.isEmpty { throw StoreError.alreadyExists }
        }
    }

    public func alias(_ name: String, of functionName: String) async throws -> AliasDefinition? {
        try await rows("SELECT definition FROM aliases WHERE function_name = \(functionName) AND name = \(name)")
            .first.map { try Self.decode(AliasDefinition.self, try $0.decode(Data.self)) }
    }

    public func aliases(of functionName: String) async throws -> [AliasDefinition] {
        try await rows("SELECT definition FROM aliases WHERE function_name = \(functionName) ORDER BY name")
            .map { try Self.decode(AliasDefinition.self, try $0.decode(Data.self)) }
    }

    public func replaceAlias(_ alias: AliasDefinition, expectedRevision: String) async throws {
        let blob = try Self.encode(alias)
        try await transaction { db in
            guard let row = try await db.rows("""
                SELECT definition FROM aliases WHERE function_name = \(alias.functionName) AND name = \(alias.name) FOR UPDATE
                """, logger).first else {
                throw StoreError.notFound
            }
            guard try Self.decode(AliasDefinition.self, try row.decode(Data.self)).revisionId == expectedRevision else {
                throw StoreError.revisionMismatch
            }
            try await checkVersions(of: alias, db)
            try await db.query("""
                UPDATE aliases SET definition = \(blob) WHERE function_name = \(alias.functionName) AND name = \(alias.name)
                """, logger: logger)
        }
    }

    public func deleteAlias(_ name: String, of functionName: String) async throws {
        try await transaction { db in
            try await db.query("DELETE FROM aliases WHERE function_name = \(functionName) AND name = \(name)", logger: logger)
            try await db.query("DELETE FROM provisioned_concurrency WHERE function_name = \(functionName) AND qualifier = \(name)",
                               logger: logger)
            try await db.query("DELETE FROM policies WHERE resource = \("function:\(functionName):\(name)")", logger: logger)
            try await db.query("DELETE FROM event_invoke_configs WHERE function_name = \(functionName) AND qualifier = \(name)",
                               logger: logger)
            try await db.query("DELETE FROM function_url_configs WHERE function_name = \(functionName) AND qualifier = \(name)",
                               logger: logger)
        }
    }
}
