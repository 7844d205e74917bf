import BlobStore
import Foundation
import ZIPFoundation

/// Unpacked function code, one read-only directory per zip digest, shared by every environment that
/// runs that code (bound at `/var/task`).
public struct CodeCache: Sendable {
    public let root: String
    let blobs: BlobStore

    public init(root: String, blobs: BlobStore) throws {
        self.root = root
        self.blobs = blobs
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// The directory holding the unpacked `digest`, unpacking it first if needed.
    public func directory(for digest: BlobDigest) throws -> String {
        let dir = root + "/" + digest.hex
        if FileManager.default.fileExists(atPath: dir) { return dir }
        let staging = root + "/.unpack-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try FileManager.default.unzipItem(at: URL(fileURLWithPath: blobs.path(of: digest)), to: URL(fileURLWithPath: staging))
        try Self.makeReadable(staging)
        // Another environment may have unpacked the same code meanwhile: either copy is the same.
        if rename(staging, dir) != 0 && !FileManager.default.fileExists(atPath: dir) {
            throw CocoaError(.fileWriteUnknown)
        }
        return dir
    }

    /// Lambda needs code readable by the runtime's unprivileged user: add read (and search on dirs) for all.
    static func makeReadable(_ path: String) throws {
        chmod(path, 0o755)
        guard let walker = FileManager.default.enumerator(atPath: path) else { return }
        while let relative = walker.nextObject() as? String {
            let full = path + "/" + relative
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: chmod(full, (info.st_mode & 0o7777) | 0o755)
            case S_IFREG: chmod(full, (info.st_mode & 0o7777) | ((info.st_mode & 0o100) != 0 ? 0o555 : 0o444))
            default: break
            }
        }
    }

    /// Removes unpacked code no function refers to any more.
    public func collectGarbage(keeping digests: Set<String>) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for entry in entries where !digests.contains(entry) {
            try? FileManager.default.removeItem(atPath: root + "/" + entry)
        }
    }
}
