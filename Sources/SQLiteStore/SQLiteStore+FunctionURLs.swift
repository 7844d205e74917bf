import Catalog
import Foundation
import GRDB

/// Function URL configs: one row per (function, qualifier) with a unique url id; the unqualified function's row has
/// the qualifier `$LATEST` (so the pair is unique). Rows go with their function (foreign key) and alias (`deleteAlias`).
extension SQLiteStore {
    static func urlQualifier(_ qualifier: String?) -> String { qualifier ?? "$LATEST" }

    public func createFunctionURL(_ config: FunctionURLConfig) async throws {
        let blob = try Self.encode(config)
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM functions WHERE name = ?", arguments: [config.functionName]) == true else {
                throw StoreError.notFound
            }
            if let alias = config.qualifier,
               try Bool.fetchOne(db, sql: "SELECT 1 FROM aliases WHERE function_name = ? AND name = ?",
                                 arguments: [config.functionName, alias]) != true {
                throw StoreError.notFound
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM function_url_configs WHERE function_name = ? AND qualifier = ?",
                                 arguments: [config.functionName, Self.urlQualifier(config.qualifier)]) == true {
                throw StoreError.alreadyExists
            }
            try db.execute(sql: "INSERT INTO function_url_configs (url_id, function_name, qualifier, definition) VALUES (?, ?, ?, ?)",
                           arguments: [config.urlId, config.functionName, Self.urlQualifier(config.qualifier), blob])
        }
    }

    public func replaceFunctionURL(_ config: FunctionURLConfig) async throws {
        let blob = try Self.encode(config)
        try await pool.write { db in
            try db.execute(sql: "UPDATE function_url_configs SET definition = ? WHERE function_name = ? AND qualifier = ? AND url_id = ?",
                           arguments: [blob, config.functionName, Self.urlQualifier(config.qualifier), config.urlId])
            if db.changesCount == 0 { throw StoreError.notFound }
        }
    }

    public func deleteFunctionURL(of functionName: String, qualifier: String?) async throws -> FunctionURLConfig? {
        try await pool.write { db in
            let data = try Data.fetchOne(db, sql: "SELECT definition FROM function_url_configs WHERE function_name = ? AND qualifier = ?",
                                         arguments: [functionName, Self.urlQualifier(qualifier)])
            try db.execute(sql: "DELETE FROM function_url_configs WHERE function_name = ? AND qualifier = ?",
                           arguments: [functionName, Self.urlQualifier(qualifier)])
            return data
        }.map { try Self.decode(FunctionURLConfig.self, $0) }
    }

    public func functionURL(of functionName: String, qualifier: String?) async throws -> FunctionURLConfig? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM function_url_configs WHERE function_name = ? AND qualifier = ?",
                              arguments: [functionName, Self.urlQualifier(qualifier)])
        }.map { try Self.decode(FunctionURLConfig.self, $0) }
    }

    public func functionURL(id: String) async throws -> FunctionURLConfig? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM function_url_configs WHERE url_id = ?", arguments: [id])
        }.map { try Self.decode(FunctionURLConfig.self, $0) }
    }

    public func functionURLs(of functionName: String) async throws -> [FunctionURLConfig] {
        try await pool.read { db in
            // `$LATEST` sorts before every alias name (`$` precedes letters, digits, `-` and `_`).
            try Data.fetchAll(db, sql: "SELECT definition FROM function_url_configs WHERE function_name = ? ORDER BY qualifier",
                              arguments: [functionName])
        }.map { try Self.decode(FunctionURLConfig.self, $0) }
    }

    public func allFunctionURLs() async throws -> [FunctionURLConfig] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM function_url_configs ORDER BY function_name, qualifier")
        }.map { try Self.decode(FunctionURLConfig.self, $0) }
    }
}
