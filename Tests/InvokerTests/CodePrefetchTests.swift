import BlobStore
@testable import Catalog
import Foundation
@testable import Invoker
import Testing

/// A node of a cluster whose data directory lacks a function's blobs fetches them from the shared tier before
/// unpacking; what no tier has fails as an unpackable package does, naming nothing of the host.
@Suite struct CodePrefetchTests {
    /// A shared tier holding fixed blobs.
    struct FixedSharedBlobs: SharedBlobStore {
        let blobs: [BlobDigest: Data]
        func storeBlob(_ data: Data, digest: BlobDigest) async throws {}
        func loadBlob(_ digest: BlobDigest) async throws -> Data? { blobs[digest] }
        func removeUnreferencedBlobs(keeping referenced: Set<String>, olderThan grace: Duration) async throws -> Int { 0 }
    }

    static func function(code: BlobDigest, layers: [BlobDigest]) -> FunctionDefinition {
        FunctionDefinition(
            name: "f", runtime: "python3.12", role: "arn:aws:iam::000000000000:role/r", handler: "app.handler", description: "",
            timeout: 3, memorySize: 128, ephemeralStorageSize: 512, environment: nil, tracingMode: "PassThrough",
            architectures: ["x86_64"],
            layers: layers.map { FunctionLayer(arn: "arn:aws:lambda:us-east-1:000000000000:layer:l:1", digest: $0, size: 1, unzippedSize: 1) },
            packageType: "Zip", logFormat: "Text", logGroup: nil, deadLetterTargetArn: nil, kmsKeyArn: nil,
            code: .init(digest: code, size: 1, unzippedSize: 1), lastModified: Date(), revisionId: "r")
    }

    @Test func aMissingBlobIsFetchedFromTheSharedTierBeforeUnpacking() async throws {
        let code = try CodeExtractionTests.zip([.file("app.py", "def handler(e, c): return 1\n")])
        let layer = try CodeExtractionTests.zip([.file("python/lib.py", "X = 1\n")])
        let shared = FixedSharedBlobs(blobs: [BlobDigest(of: code): code, BlobDigest(of: layer): layer])
        let root = try CodeExtractionTests.tempDir()
        let blobs = try BlobStore(root: root + "/blobs", shared: shared)
        let cache = try CodeCache(root: root + "/code", blobs: blobs)
        let layers = try LayerCache(root: root + "/layersets", code: cache)
        let function = Self.function(code: BlobDigest(of: code), layers: [BlobDigest(of: layer)])

        try await cache.prefetch(function)
        #expect(blobs.contains(BlobDigest(of: code)) && blobs.contains(BlobDigest(of: layer)))
        let dir = try cache.directory(for: function.code.digest)
        #expect(try String(contentsOfFile: dir + "/app.py", encoding: .utf8) == "def handler(e, c): return 1\n")
        let opt = try #require(try layers.directory(for: function.layers))
        #expect(try String(contentsOfFile: opt + "/python/lib.py", encoding: .utf8) == "X = 1\n")
    }

    @Test func aBlobNoTierHasFailsAsAnUnpackablePackage() async throws {
        let root = try CodeExtractionTests.tempDir()
        let blobs = try BlobStore(root: root + "/blobs", shared: FixedSharedBlobs(blobs: [:]))
        let cache = try CodeCache(root: root + "/code", blobs: blobs)
        do {
            try await cache.prefetch(Self.function(code: BlobDigest(of: Data("gone".utf8)), layers: []))
            Issue.record("prefetching must fail")
        } catch {
            #expect("\(error)" == "the deployment package could not be unpacked")
            #expect(!"\(error)".contains(root))
            #expect(error.detail.contains("missing"))
        }
    }
}
