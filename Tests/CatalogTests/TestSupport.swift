import BlobStore
import Catalog
import Foundation
import SQLiteStore
import ZIPFoundation

enum TestSupport {
    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "swiftlet-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A zip holding `files` (name → content).
    static func zip(_ files: [String: String]) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        for (name, content) in files.sorted(by: { $0.key < $1.key }) {
            let data = Data(content.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(archive.data!)
    }

    /// A catalog on a new SQLite store in `dir` (a new temp dir by default), or on `store`, with its blobs in `dir`
    /// or `blobs`.
    static func catalog(dir: String? = nil, store: (any Store)? = nil, blobs: BlobStore? = nil) throws -> FunctionCatalog {
        let root = try dir ?? tempDir()
        let store = try store ?? SQLiteStore(path: root + "/db.sqlite")
        let blobs = try blobs ?? BlobStore(root: root + "/blobs")
        let runtimes = RuntimeRegistry(runtimes: [RuntimeInfo(identifier: "python3.11", interpreter: "/usr/bin/python3.11"),
                                                  RuntimeInfo(identifier: "provided.al2023")])
        return FunctionCatalog(store: store, blobs: blobs, runtimes: runtimes,
                               arns: ARNBuilder(region: "us-east-1", accountId: "000000000000"),
                               limits: AccountLimits(concurrentExecutions: 10), hostArchitecture: "x86_64")
    }

    static func createInput(_ name: String, settings: FunctionSettings? = nil, zip: [UInt8]? = nil) throws -> CreateFunctionInput {
        CreateFunctionInput(
            functionName: name,
            settings: settings ?? FunctionSettings(runtime: "python3.11", role: "arn:aws:iam::000000000000:role/r", handler: "app.handler"),
            zipFile: try zip ?? TestSupport.zip(["app.py": "def handler(e, c):\n    return e\n"]))
    }
}
