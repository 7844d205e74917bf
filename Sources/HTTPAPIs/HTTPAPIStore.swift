/// Where HTTP APIs are kept: one document per API (implemented by SQLiteStore). Every write is one transaction.
public protocol HTTPAPIStore: Sendable {
    /// Stores a new API; throws `HTTPAPIStoreError.alreadyExists` if its id is taken.
    func insertHTTPAPI(_ api: HTTPAPI) async throws
    func httpAPI(id: String) async throws -> HTTPAPI?
    /// Every API, ordered by id.
    func allHTTPAPIs() async throws -> [HTTPAPI]
    /// Replaces the stored API only if its stored revision is still `expectedRevision`; false when another write
    /// came first (or the API is gone).
    func replaceHTTPAPI(_ api: HTTPAPI, expectedRevision: Int) async throws -> Bool
    /// Deletes the API; false if there was none.
    func deleteHTTPAPI(id: String) async throws -> Bool
}

public enum HTTPAPIStoreError: Error, Sendable, Equatable {
    case alreadyExists
}
