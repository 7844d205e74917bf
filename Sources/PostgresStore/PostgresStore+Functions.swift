import Catalog
import Foundation
import PostgresNIO

/// Functions (`$LATEST`), their tags, usage and the code they refer to.
extension PostgresStore {
    public func createFunction(_ function: FunctionDefinition, tags: [String: String]) async throws {
        let blob = try Self.encode(function)
        try await transaction { db in
            let inserted = try await db.rows("""
                INSERT INTO functions (name, revision_id, code_digest, code_size, definition)
                VALUES (\(function.name), \(function.revisionId), \(function.code.digest.hex), \(function.code.size), \(blob))
                ON CONFLICT (name) DO NOTHING RETURNING 1
                """, logger)
            if inserted.isEmpty { throw StoreError.alreadyExists }
            for (key, value) in tags {
                try await db.query("INSERT INTO function_tags (function_name, key, value) VALUES (\(function.name), \(key), \(value))",
                                   logger: logger)
            }
        }
    }

    public func function(named name: String) async throws -> FunctionDefinition? {
        // Read to the end, so the connection goes back to the pool at once.
        var found: Data?
        for try await definition in try await client.execute(PreparedStatements.FunctionByName(name: name), logger: logger) {
            found = definition
        }
        return try found.map { try Self.decode(FunctionDefinition.self, $0) }
    }

    public func listFunctions(after: String?, limit: Int) async throws -> FunctionPage {
        let rows = try await rows("SELECT definition FROM functions WHERE name > \(after ?? "") ORDER BY name LIMIT \(limit + 1)")
        var functions = try rows.map { try Self.decode(FunctionDefinition.self, try $0.decode(Data.self)) }
        var next: String?
        if functions.count > limit {
            functions.removeLast()
            next = functions.last?.name
        }
        return FunctionPage(functions: functions, nextAfter: next)
    }

    public func replaceFunction(_ function: FunctionDefinition, expectedRevision: String) async throws {
        let blob = try Self.encode(function)
        try await transaction { db in
            guard let current = try await db.rows("SELECT revision_id FROM functions WHERE name = \(function.name) FOR UPDATE", logger).first else {
                throw StoreError.notFound
            }
            guard try current.decode(String.self) == expectedRevision else { throw StoreError.revisionMismatch }
            try await db.query("""
                UPDATE functions SET revision_id = \(function.revisionId), code_digest = \(function.code.digest.hex),
                    code_size = \(function.code.size), definition = \(blob)
                WHERE name = \(function.name)
                """, logger: logger)
        }
    }

    public func deleteFunction(named name: String) async throws {
        try await transaction { db in
            // Tags, versions, aliases, concurrency, invoke configs and URLs go by their foreign keys.
            let deleted = try await db.rows("DELETE FROM functions WHERE name = \(name) RETURNING 1", logger)
            if deleted.isEmpty { throw StoreError.notFound }
            let prefix = "function:\(name)"
            try await db.query("DELETE FROM policies WHERE resource = \(prefix) OR starts_with(resource, \(prefix + ":"))", logger: logger)
        }
    }

    public func tags(ofFunction name: String) async throws -> [String: String]? {
        let rows = try await rows("""
            SELECT t.key, t.value FROM functions f LEFT JOIN function_tags t ON t.function_name = f.name WHERE f.name = \(name)
            """)
        if rows.isEmpty { return nil }
        var tags: [String: String] = [:]
        for row in rows {
            let (key, value) = try row.decode((String?, String?).self)
            if let key, let value { tags[key] = value }
        }
        return tags
    }

    public func updateTags(ofFunction name: String, set: [String: String], remove: [String], limit: Int) async throws -> Int {
        try await transaction { db in
            // The function's row serializes tag writers, so the limit holds for concurrent ones.
            guard try await !db.rows("SELECT 1 FROM functions WHERE name = \(name) FOR UPDATE", logger).isEmpty else {
                throw StoreError.notFound
            }
            if !remove.isEmpty {
                try await db.query("DELETE FROM function_tags WHERE function_name = \(name) AND key = ANY(\(remove))", logger: logger)
            }
            for (key, value) in set {
                try await db.query("""
                    INSERT INTO function_tags (function_name, key, value) VALUES (\(name), \(key), \(value))
                    ON CONFLICT (function_name, key) DO UPDATE SET value = excluded.value
                    """, logger: logger)
            }
            let count = try await db.rows("SELECT COUNT(*) FROM function_tags WHERE function_name = \(name)", logger)[0].decode(Int.self)
            if count > limit { throw TagLimitExceeded() }
            return count
        }
    }

    public func usage() async throws -> StoreUsage {
        let row = try await rows("""
            SELECT (SELECT COUNT(*) FROM functions),
                   ((SELECT COALESCE(SUM(code_size), 0) FROM functions)
                  + (SELECT COALESCE(SUM(code_size), 0) FROM function_versions)
                  + (SELECT COALESCE(SUM(code_size), 0) FROM layer_versions))::BIGINT
            """)[0]
        let (count, size) = try row.decode((Int, Int).self)
        return StoreUsage(functionCount: count, totalCodeSize: size)
    }

    public func referencedBlobDigests() async throws -> Set<String> {
        // One statement: one snapshot of the three tables.
        let rows = try await rows("""
            SELECT code_digest, definition FROM functions
            UNION ALL SELECT code_digest, definition FROM function_versions
            UNION ALL SELECT code_digest, NULL FROM layer_versions
            """)
        var digests = Set<String>()
        for row in rows {
            let (digest, definition) = try row.decode((String, Data?).self)
            digests.insert(digest)
            // A deleted layer version keeps working for the functions that use it.
            if let definition {
                for layer in try Self.decode(FunctionDefinition.self, definition).layers { digests.insert(layer.digest.hex) }
            }
        }
        return digests
    }
}
