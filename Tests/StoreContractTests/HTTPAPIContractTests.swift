import Foundation
import HTTPAPIs
import Testing

extension StoreKind {
    /// A fresh store of this kind, as the `HTTPAPIStore` it also is.
    func withHTTPAPIStore(_ body: (any HTTPAPIStore) async throws -> Void) async throws {
        try await withStore { store in try await body(try #require(store as? any HTTPAPIStore)) }
    }
}

extension StoreContract {
    /// HTTP APIs: one document per API, replaced by compare-and-swap on its revision.
    @Suite struct HTTPAPIDocuments {
        static func api(_ id: String, name: String = "api", revision: Int = 0) -> HTTPAPI {
            var api = HTTPAPI(apiId: id, name: name, createdDate: Date(timeIntervalSince1970: 1_700_000_000))
            api.revision = revision
            api.tags = ["team": "a"]
            return api
        }

        @Test(arguments: StoreKind.allCases) func insertReadReplaceDelete(kind: StoreKind) async throws {
            try await kind.withHTTPAPIStore { store in
                #expect(try await store.httpAPI(id: "b") == nil)
                try await store.insertHTTPAPI(Self.api("b"))
                try await store.insertHTTPAPI(Self.api("a"))
                await #expect(throws: HTTPAPIStoreError.alreadyExists) { try await store.insertHTTPAPI(Self.api("a", name: "other")) }
                #expect(try await store.httpAPI(id: "a") == Self.api("a"))
                #expect(try await store.allHTTPAPIs().map(\.apiId) == ["a", "b"])

                // Replaced only from the revision it was read at.
                #expect(try await store.replaceHTTPAPI(Self.api("a", name: "renamed", revision: 1), expectedRevision: 0))
                #expect(try await !store.replaceHTTPAPI(Self.api("a", name: "stale", revision: 1), expectedRevision: 0))
                #expect(try await store.httpAPI(id: "a") == Self.api("a", name: "renamed", revision: 1))
                #expect(try await !store.replaceHTTPAPI(Self.api("gone", revision: 1), expectedRevision: 0))

                #expect(try await store.deleteHTTPAPI(id: "a"))
                #expect(try await !store.deleteHTTPAPI(id: "a"))
                #expect(try await !store.replaceHTTPAPI(Self.api("a", revision: 2), expectedRevision: 1))
                #expect(try await store.allHTTPAPIs() == [Self.api("b")])
            }
        }

        /// Writers that read the same revision race: exactly one replace wins, the others must read again.
        @Test(arguments: StoreKind.allCases) func concurrentReplacesFromOneRevisionLetOneWin(kind: StoreKind) async throws {
            try await kind.withHTTPAPIStore { store in
                try await store.insertHTTPAPI(Self.api("a"))
                let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for i in 0..<8 {
                        group.addTask { try await store.replaceHTTPAPI(Self.api("a", name: "writer\(i)", revision: 1), expectedRevision: 0) }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(wins == 1)
                #expect(try await store.httpAPI(id: "a")?.revision == 1)
            }
        }
    }
}
