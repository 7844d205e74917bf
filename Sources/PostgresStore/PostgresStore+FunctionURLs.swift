import Catalog
import Foundation
import PostgresNIO

/// Function URL configs: one row per (function, qualifier) with a unique url id; the unqualified function's row has
/// the qualifier `$LATEST` (which sorts before every alias name in the "C" collation).
extension PostgresStore {
    static func urlQualifier(_ qualifier: String?) -> String { qualifier ?? "$LATEST" }

    public func createFunctionURL(_ config: FunctionURLConfig) async throws {
        let blob = try Self.encode(config)
        let qualifier = Self.urlQualifier(config.qualifier)
        try await transaction { db in
            guard try await !db.rows("SELECT 1 FROM functions WHERE name = \(config.functionName) FOR SHARE", logger).isEmpty else {
                throw StoreError.notFound
            }
            if let alias = config.qualifier, try await db.rows("""
                SELECT 1 FROM aliases WHERE function_name = \(config.functionName) AND name = \(alias) FOR SHARE
                """, logger).isEmpty {
                throw StoreError.notFound
            }
            let inserted = try await db.rows("""
                INSERT INTO function_url_configs (url_id, function_name, qualifier, definition)
                VALUES (\(config.urlId), \(config.functionName), \(qualifier), \(blob))
                ON CONFLICT (function_name, qualifier) DO NOTHING RETURNING 1
                """, logger)
            if inserted.isEmpty { throw StoreError.alreadyExists }
        }
    }

    public func replaceFunctionURL(_ config: FunctionURLConfig) async throws {
        let blob = try Self.encode(config)
        let updated = try await rows("""
            UPDATE function_url_configs SET definition = \(blob)
            WHERE function_name = \(config.functionName) AND qualifier = \(Self.urlQualifier(config.qualifier)) AND url_id = \(config.urlId)
            RETURNING 1
            """)
        if updated.isEmpty { throw StoreError.notFound }
    }

    public func deleteFunctionURL(of functionName: String, qualifier: String?) async throws -> FunctionURLConfig? {
        try await rows("""
            DELETE FROM function_url_configs WHERE function_name = \(functionName) AND qualifier = \(Self.urlQualifier(qualifier))
            RETURNING definition
            """).first.map { try Self.decode(FunctionURLConfig.self, try $0.decode(Data.self)) }
    }

    public func functionURL(of functionName: String, qualifier: String?) async throws -> FunctionURLConfig? {
        try await rows("""
            SELECT definition FROM function_url_configs WHERE function_name = \(functionName) AND qualifier = \(Self.urlQualifier(qualifier))
            """).first.map { try Self.decode(FunctionURLConfig.self, try $0.decode(Data.self)) }
    }

    public func functionURL(id: String) async throws -> FunctionURLConfig? {
        try await rows("SELECT definition FROM function_url_configs WHERE url_id = \(id)")
            .first.map { try Self.decode(FunctionURLConfig.self, try $0.decode(Data.self)) }
    }

    public func functionURLs(of functionName: String) async throws -> [FunctionURLConfig] {
        try await rows("SELECT definition FROM function_url_configs WHERE function_name = \(functionName) ORDER BY qualifier")
            .map { try Self.decode(FunctionURLConfig.self, try $0.decode(Data.self)) }
    }

    public func allFunctionURLs() async throws -> [FunctionURLConfig] {
        try await rows("SELECT definition FROM function_url_configs ORDER BY function_name, qualifier")
            .map { try Self.decode(FunctionURLConfig.self, try $0.decode(Data.self)) }
    }
}
