import BlobStore
import Catalog
import Foundation
import SQLiteStore
import Testing

/// A cluster's shared tier in memory, standing for PostgreSQL (whose own contract is in StoreContractTests).
actor InMemorySharedBlobs: SharedBlobStore {
    private(set) var blobs: [BlobDigest: Data] = [:]
    /// Makes every store fail, as a database that is down.
    var refusing = false

    func refuse() { refusing = true }

    func storeBlob(_ data: Data, digest: BlobDigest) throws {
        if refusing { throw BlobStoreError.io("the shared tier is down") }
        blobs[digest] = data
    }

    func loadBlob(_ digest: BlobDigest) -> Data? { blobs[digest] }

    func removeUnreferencedBlobs(keeping referenced: Set<String>, olderThan grace: Duration) -> Int {
        let gone = blobs.keys.filter { !referenced.contains($0.hex) }
        for digest in gone { blobs[digest] = nil }
        return gone.count
    }
}

/// Code and layers written through one node of a cluster and read through another, which shares the store and the
/// shared blob tier but not the data directory.
@Suite struct SharedBlobTests {
    @Test func codeAndLayersStoredOnOneNodeAreReadOnAnother() async throws {
        let shared = InMemorySharedBlobs()
        let root = try TestSupport.tempDir()
        let store = try SQLiteStore(path: root + "/db.sqlite")
        let a = try TestSupport.catalog(dir: root, store: store, blobs: BlobStore(root: root + "/a", shared: shared))
        let b = try TestSupport.catalog(dir: root, store: store, blobs: BlobStore(root: root + "/b", shared: shared))

        let zip = try TestSupport.zip(["app.py": "def handler(e, c):\n    return 1\n"])
        let created = try await a.create(TestSupport.createInput("f", zip: zip))
        #expect(await shared.blobs[created.code.digest] == Data(zip))
        #expect(!b.blobs.contains(created.code.digest))
        #expect(try await b.code(of: "f", digest: created.code.digest.hex) == Data(zip))

        let layerZip = try TestSupport.zip(["python/lib.py": "X = 1\n"])
        let layer = try await a.publishLayerVersion(PublishLayerVersionInput(
            layerName: "l", description: nil, zipFile: layerZip, s3Location: nil, compatibleRuntimes: nil,
            compatibleArchitectures: nil, licenseInfo: nil))
        #expect(try await b.blobs.fetch(layer.content.digest) == Data(layerZip))
        #expect(b.blobs.contains(layer.content.digest), "fetched once, then read from the node's files")
    }

    @Test func noFunctionIsWrittenWhoseCodeTheSharedTierDoesNotHave() async throws {
        let shared = InMemorySharedBlobs()
        await shared.refuse()
        let root = try TestSupport.tempDir()
        let catalog = try TestSupport.catalog(dir: root, blobs: BlobStore(root: root + "/blobs", shared: shared))
        await #expect(throws: LambdaError.service("Could not store the deployment package.")) {
            try await catalog.create(TestSupport.createInput("f"))
        }
        #expect(try await catalog.store.function(named: "f") == nil)
    }

    @Test func withoutASharedTierBlobsStayOnTheMachine() async throws {
        let blobs = try BlobStore(root: try TestSupport.tempDir())
        #expect(blobs.shared == nil)
        let data = Data("zip".utf8)
        let digest = try await blobs.store(data)
        #expect(digest == BlobDigest(of: data) && blobs.contains(digest))
        #expect(try await blobs.fetch(digest) == data)
        try await blobs.ensureLocal(digest)
        let missing = BlobDigest(of: Data("never stored".utf8))
        await #expect(throws: BlobStoreError.missing(missing)) { try await blobs.ensureLocal(missing) }
        #expect(throws: BlobStoreError.missing(missing)) { try blobs.get(missing) }
        #expect(try await blobs.collectSharedGarbage(keeping: []) == 0)
    }
}
