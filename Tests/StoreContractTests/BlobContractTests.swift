import BlobStore
import Foundation
import PostgresNIO
@testable import PostgresStore
import Testing

extension StoreContract {
    /// Code and layer blobs shared through PostgreSQL: two nodes, each with its own connection pool and its own data
    /// directory, on one database.
    @Suite struct SharedBlobs {
        /// Two nodes' blob stores (`a` writes, `b` reads, unless a test says otherwise), their directories removed after.
        static func withTwoNodes(_ body: (_ a: BlobStore, _ b: BlobStore, _ database: PostgresStore) async throws -> Void) async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            let dirA = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-blobs-a-\(UUID().uuidString)").path
            let dirB = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-blobs-b-\(UUID().uuidString)").path
            defer {
                try? FileManager.default.removeItem(atPath: dirA)
                try? FileManager.default.removeItem(atPath: dirB)
            }
            try await StoreKind.withPostgresStore(url: url, nodeId: "a") { a in
                try await StoreKind.withPostgresStore(url: url, nodeId: "b") { b in
                    try await body(try BlobStore(root: dirA, shared: a), try BlobStore(root: dirB, shared: b), a)
                }
            }
        }

        static func randomBytes(_ count: Int) -> Data {
            var generator = SystemRandomNumberGenerator()
            var words = (0..<(count + 7) / 8).map { _ in generator.next() as UInt64 }
            return Data(bytes: &words, count: count)
        }

        static func count(_ table: String, of digest: BlobDigest, in database: PostgresStore) async throws -> Int {
            try await database.rows(PostgresQuery(unsafeSQL: "SELECT COUNT(*)::BIGINT FROM \(table) WHERE digest = '\(digest.hex)'"))[0]
                .decode(Int.self)
        }

        @Test func aBlobStoredThroughOneNodeIsFetchedByAnother() async throws {
            try await Self.withTwoNodes { a, b, database in
                // Five chunks of 1 MiB and a partial one.
                let big = Self.randomBytes(5 * 1024 * 1024 + 123)
                let digest = try await a.store(big)
                #expect(a.contains(digest) && !b.contains(digest))
                #expect(try await Self.count("blob_chunks", of: digest, in: database) == 6)
                #expect(try await b.fetch(digest) == big)
                #expect(b.contains(digest), "the fetched blob is kept in the node's files")
                #expect(try b.get(digest) == big)

                let small = Data("def handler(e, c): return e".utf8)
                let smallDigest = try await a.store(small)
                try await b.ensureLocal(smallDigest)
                #expect(try b.get(smallDigest) == small)

                let empty = try await a.store(Data())
                #expect(try await b.fetch(empty) == Data())
            }
        }

        @Test func aMissingOrCorruptBlobIsAClearError() async throws {
            try await Self.withTwoNodes { _, b, database in
                let missing = BlobDigest(of: Data("never stored".utf8))
                await #expect(throws: BlobStoreError.missing(missing)) { try await b.fetch(missing) }
                await #expect(throws: BlobStoreError.missing(missing)) { try await b.ensureLocal(missing) }
                #expect(try await database.loadBlob(missing) == nil)

                // Bytes under another content's digest are refused and not kept.
                let claimed = BlobDigest(of: Data("the real content".utf8))
                try await database.storeBlob(Data("something else".utf8), digest: claimed)
                await #expect(throws: BlobStoreError.corrupt(claimed)) { try await b.ensureLocal(claimed) }
                #expect(!b.contains(claimed))
                #expect("\(BlobStoreError.corrupt(claimed))".contains(claimed.hex))
            }
        }

        @Test func concurrentStoresOfOneBlobStoreItOnce() async throws {
            try await Self.withTwoNodes { a, b, database in
                let data = Self.randomBytes(3 * 1024 * 1024)
                try await withThrowingTaskGroup(of: BlobDigest.self) { group in
                    for i in 0..<8 {
                        group.addTask { try await (i.isMultiple(of: 2) ? a : b).store(data) }
                    }
                    for try await digest in group { #expect(digest == BlobDigest(of: data)) }
                }
                let digest = BlobDigest(of: data)
                #expect(try await Self.count("blobs", of: digest, in: database) == 1)
                #expect(try await Self.count("blob_chunks", of: digest, in: database) == 3)
                #expect(try await database.loadBlob(digest) == data)
            }
        }

        @Test func garbageCollectionSparesReferencedAndRecentBlobs() async throws {
            try await Self.withTwoNodes { a, b, database in
                let referenced = try await a.store(Data("referenced".utf8))
                let unreferenced = try await a.store(Data("unreferenced".utf8))
                let recent = try await a.store(Data("recent".utf8))
                let aged = "now() - interval '2 hours'"
                _ = try await database.rows(PostgresQuery(unsafeSQL: """
                    UPDATE blobs SET stored_at = \(aged) WHERE digest IN ('\(referenced.hex)', '\(unreferenced.hex)')
                    """))
                // Only what is unreferenced and older than the grace goes; another node's GC sees the same.
                #expect(try await b.collectSharedGarbage(keeping: [referenced.hex]) == 1)
                #expect(try await database.loadBlob(unreferenced) == nil)
                #expect(try await database.loadBlob(referenced) != nil)
                #expect(try await database.loadBlob(recent) != nil, "a blob just stored may not be referenced yet")
                #expect(try await Self.count("blob_chunks", of: unreferenced, in: database) == 0, "chunks go with their blob")

                // Storing a blob again renews it, as if just stored.
                _ = try await database.rows(PostgresQuery(unsafeSQL: "UPDATE blobs SET stored_at = \(aged) WHERE digest = '\(recent.hex)'"))
                _ = try await b.store(Data("recent".utf8))
                #expect(try await a.collectSharedGarbage(keeping: []) == 1)
                #expect(try await database.loadBlob(referenced) == nil)
                #expect(try await database.loadBlob(recent) == Data("recent".utf8))

                // A collected blob is stored anew by the next put, even by a node whose files still have it.
                #expect(a.contains(unreferenced))
                _ = try await a.store(Data("unreferenced".utf8))
                #expect(try await database.loadBlob(unreferenced) == Data("unreferenced".utf8))
                #expect(try await a.collectSharedGarbage(keeping: [], olderThan: .zero) == 2)
            }
        }
    }
}
