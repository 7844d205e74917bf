import Foundation
import HTTPAPIs
import PostgresNIO

/// API Gateway HTTP APIs: one row per API holding the whole API as a JSON document, replaced with compare-and-swap on
/// its revision in one statement (a concurrent replace waits for the row, then finds the revision changed).
extension PostgresStore: HTTPAPIStore {
    public func insertHTTPAPI(_ api: HTTPAPI) async throws {
        let blob = try Self.encode(api)
        let inserted = try await rows("""
            INSERT INTO http_apis (api_id, revision, definition) VALUES (\(api.apiId), \(api.revision), \(blob))
            ON CONFLICT (api_id) DO NOTHING RETURNING 1
            """)
        if inserted.isEmpty { throw HTTPAPIStoreError.alreadyExists }
    }

    public func httpAPI(id: String) async throws -> HTTPAPI? {
        try await rows("SELECT definition FROM http_apis WHERE api_id = \(id)")
            .first.map { try Self.decode(HTTPAPI.self, try $0.decode(Data.self)) }
    }

    public func allHTTPAPIs() async throws -> [HTTPAPI] {
        try await rows("SELECT definition FROM http_apis ORDER BY api_id")
            .map { try Self.decode(HTTPAPI.self, try $0.decode(Data.self)) }
    }

    public func replaceHTTPAPI(_ api: HTTPAPI, expectedRevision: Int) async throws -> Bool {
        let blob = try Self.encode(api)
        return try await !rows("""
            UPDATE http_apis SET revision = \(api.revision), definition = \(blob)
            WHERE api_id = \(api.apiId) AND revision = \(expectedRevision) RETURNING 1
            """).isEmpty
    }

    public func deleteHTTPAPI(id: String) async throws -> Bool {
        try await !rows("DELETE FROM http_apis WHERE api_id = \(id) RETURNING 1").isEmpty
    }
}
