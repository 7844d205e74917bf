import BlobStore
import Catalog
import Foundation

/// The `/opt` trees of functions: each layer set (an ordered list of layer digests) merged once, later
/// layers overwriting earlier ones, from the layers' unpacked copies in the code cache. Files are hard
/// links into those copies, so a merged tree costs directory entries, not bytes. Shared read-only by
/// every environment whose function uses the same layers in the same order.
public struct LayerCache: Sendable {
    public let root: String
    let code: CodeCache

    public init(root: String, code: CodeCache) throws {
        self.root = root
        self.code = code
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// The merged tree's name: a digest of the layer digests in order.
    static func key(_ layers: [FunctionLayer]) -> String {
        let joined = layers.map(\.digest.hex).joined(separator: "\n")
        return BlobDigest(of: Data(joined.utf8)).hex
    }

    /// The directory to mount at `/opt` for `layers` (nil when there are none), merging it first if needed.
    public func directory(for layers: [FunctionLayer]) throws -> String? {
        guard !layers.isEmpty else { return nil }
        let dir = root + "/" + Self.key(layers)
        if FileManager.default.fileExists(atPath: dir) { return dir }
        let staging = root + "/.merge-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        for layer in layers {
            try Self.overlay(try code.directory(for: layer.digest), onto: staging)
        }
        chmod(staging, 0o755)
        if rename(staging, dir) != 0 && !FileManager.default.fileExists(atPath: dir) {
            throw CocoaError(.fileWriteUnknown)
        }
        return dir
    }

    /// Adds `source`'s tree to `target`: directories merge, files and links replace what is there.
    static func overlay(_ source: String, onto target: String) throws {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: source) else { return }
        while let relative = walker.nextObject() as? String {
            let from = source + "/" + relative
            let to = target + "/" + relative
            var info = stat()
            guard lstat(from, &info) == 0 else { continue }
            var existing = stat()
            let exists = lstat(to, &existing) == 0
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if exists && (existing.st_mode & S_IFMT) != S_IFDIR { try fm.removeItem(atPath: to) }
                if !exists || (existing.st_mode & S_IFMT) != S_IFDIR {
                    try fm.createDirectory(atPath: to, withIntermediateDirectories: true)
                    chmod(to, info.st_mode & 0o7777)
                }
            case S_IFLNK:
                if exists { try fm.removeItem(atPath: to) }
                try fm.createSymbolicLink(atPath: to, withDestinationPath: try fm.destinationOfSymbolicLink(atPath: from))
            default:
                if exists { try fm.removeItem(atPath: to) }
                if link(from, to) != 0 { try fm.copyItem(atPath: from, toPath: to) }
            }
        }
    }

    /// Removes merged trees no function uses any more.
    public func collectGarbage(keeping sets: Set<String>) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for entry in entries where !sets.contains(entry) {
            try? FileManager.default.removeItem(atPath: root + "/" + entry)
        }
    }
}
