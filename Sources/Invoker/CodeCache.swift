import BlobStore
import Catalog
import Foundation
import Logging

/// Unpacked function code, one read-only directory per zip digest, shared by every environment that
/// runs that code (bound at `/var/task`). Unpacking never follows a symbolic link (`CodeExtraction`): links are
/// kept as stored and resolve inside the sandbox, as on Lambda.
public struct CodeCache: Sendable {
    public let root: String
    let blobs: BlobStore
    let logger: Logger

    public init(root: String, blobs: BlobStore, logger: Logger = Logger(label: "swiftlet.code")) throws {
        self.root = root
        self.blobs = blobs
        self.logger = logger
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// The directory holding the unpacked `digest`, unpacking it first if needed. Throws only
    /// `CodePreparationError`, whose description names no path of this host; the details are logged here.
    public func directory(for digest: BlobDigest) throws(CodePreparationError) -> String {
        let dir = root + "/" + digest.hex
        if FileManager.default.fileExists(atPath: dir) { return dir }
        do {
            try unpack(digest, into: dir)
        } catch {
            logger.error("unpacking code failed", metadata: ["digest": "\(digest.hex)", "error": "\(error.detail)"])
            throw error
        }
        return dir
    }

    /// Makes sure the blobs of `function`'s code and layers that are not unpacked yet are in this node's blob store,
    /// fetched from a cluster's shared tier on a miss: `directory(for:)`, which is synchronous, then finds them. Throws
    /// only `CodePreparationError`.
    public func prefetch(_ function: FunctionDefinition) async throws(CodePreparationError) {
        for digest in [function.code.digest] + function.layers.map(\.digest)
        where !FileManager.default.fileExists(atPath: root + "/" + digest.hex) {
            do {
                try await blobs.ensureLocal(digest)
            } catch {
                logger.error("fetching code failed", metadata: ["digest": "\(digest.hex)", "error": "\(error)"])
                throw .package("fetching the blob: \(error)")
            }
        }
    }

    private func unpack(_ digest: BlobDigest, into dir: String) throws(CodePreparationError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: blobs.path(of: digest)), options: .alwaysMapped)
        } catch {
            throw .package("reading the blob: \(error)")
        }
        guard let package = PackageArchive(data) else { throw .package("the blob is not a readable zip") }
        // Only a package stored before uploads were checked can have these: it runs without them.
        for problem in package.problems {
            logger.warning("skipping an entry of a package", metadata: ["digest": "\(digest.hex)", "problem": "\(problem)"])
        }
        let staging = root + "/.unpack-" + UUID().uuidString
        defer { Self.remove(staging) }
        try CodeExtraction.unpack(package, into: staging)
        // Another environment may have unpacked the same code meanwhile: either copy is the same.
        if rename(staging, dir) != 0 && !FileManager.default.fileExists(atPath: dir) {
            throw .package("renaming the unpacked directory: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes `path` (a directory of this cache) and everything in it without following a link.
    static func remove(_ path: String) {
        let url = URL(fileURLWithPath: path)
        guard let parent = try? DirectoryHandle.open(url.deletingLastPathComponent().path) else { return }
        try? parent.remove(url.lastPathComponent)
    }

    /// Removes unpacked code no function refers to any more.
    public func collectGarbage(keeping digests: Set<String>) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for entry in entries where !digests.contains(entry) {
            Self.remove(root + "/" + entry)
        }
    }
}

/// Why code could not be made ready for an environment. The description is what may reach a client (no path of
/// this host, no Foundation text); `detail` is for the server's log.
public struct CodePreparationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let detail: String

    static func package(_ detail: String) -> CodePreparationError {
        CodePreparationError(description: "the deployment package could not be unpacked", detail: detail)
    }

    static func layers(_ detail: String) -> CodePreparationError {
        CodePreparationError(description: "the function's layers could not be merged", detail: detail)
    }
}
