import Foundation
import GRDB
import HTTPAPIs

/// API Gateway HTTP APIs in SQLite: one row per API holding the whole API as a JSON document, replaced with
/// compare-and-swap on its revision in one transaction.
extension SQLiteStore: HTTPAPIStore {
    public func insertHTTPAPI(_ api: HTTPAPI) async throws {
        let blob = try Self.encode(api)
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM http_apis WHERE api_id = ?", arguments: [api.apiId]) == true {
                throw HTTPAPIStoreError.alreadyExists
            }
            try db.execute(sql: "INSERT INTO http_apis (api_id, revision, definition) VALUES (?, ?, ?)",
                           arguments: [api.apiId, api.revision, blob])
        }
    }

    public func httpAPI(id: String) async throws -> HTTPAPI? {
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM http_apis WHERE api_id = ?", arguments: [id])
        }
        return try data.map { try Self.decode(HTTPAPI.self, $0) }
    }

    public func allHTTPAPIs() async throws -> [HTTPAPI] {
        let rows = try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM http_apis ORDER BY api_id")
        }
        return try rows.map { try Self.decode(HTTPAPI.self, $0) }
    }

    public func replaceHTTPAPI(_ api: HTTPAPI, expectedRevision: Int) async throws -> Bool {
        let blob = try Self.encode(api)
        return try await pool.write { db in
            try db.execute(sql: "UPDATE http_apis SET revision = ?, definition = ? WHERE api_id = ? AND revision = ?",
                           arguments: [api.revision, blob, api.apiId, expectedRevision])
            return db.changesCount == 1
        }
    }

    public func deleteHTTPAPI(id: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM http_apis WHERE api_id = ?", arguments: [id])
            return db.changesCount == 1
        }
    }
}
