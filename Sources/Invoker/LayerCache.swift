import BlobStore
import Catalog
import Foundation

/// The `/opt` trees of functions: each layer set (an ordered list of layer digests) merged once, later
/// layers overwriting earlier ones file by file, from the layers' unpacked copies in the code cache. Files and links
/// are hard links into those copies, so a merged tree costs directory entries, not bytes. Shared read-only by
/// every environment whose function uses the same layers in the same order.
///
/// Merging never follows a link, in the layers or in the tree being built: a later layer's directory replaces an
/// earlier layer's link of the same name instead of being written through it.
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
    /// Throws only `CodePreparationError`.
    public func directory(for layers: [FunctionLayer]) throws(CodePreparationError) -> String? {
        guard !layers.isEmpty else { return nil }
        let dir = root + "/" + Self.key(layers)
        if FileManager.default.fileExists(atPath: dir) { return dir }
        let sources = try layers.map { layer throws(CodePreparationError) in try code.directory(for: layer.digest) }
        let staging = root + "/.merge-" + UUID().uuidString
        defer { CodeCache.remove(staging) }
        do {
            let target = try DirectoryHandle.make(staging)
            for source in sources {
                try Self.overlay(try DirectoryHandle.open(source), onto: target)
            }
        } catch {
            code.logger.error("merging layers failed", metadata: ["layers": "\(Self.key(layers))", "error": "\(error)"])
            throw .layers("\(error)")
        }
        if rename(staging, dir) != 0 && !FileManager.default.fileExists(atPath: dir) {
            let reason = String(cString: strerror(errno))
            code.logger.error("merging layers failed", metadata: ["layers": "\(Self.key(layers))", "error": "rename: \(reason)"])
            throw .layers("rename: \(reason)")
        }
        return dir
    }

    /// Adds `source`'s tree to `target`: directories merge (a directory replaces a file or link of its name), files
    /// and links replace whatever has their name. Directory by directory, each reopened from the roots, so
    /// descriptors stay few however deep the tree.
    static func overlay(_ source: DirectoryHandle, onto target: DirectoryHandle) throws(SystemCallFailure) {
        var pending: [[String]] = [[]]
        while let relative = pending.popLast() {
            let from = try source.walk(relative, create: false)
            let to = try target.walk(relative, create: false)
            for name in try from.entries() {
                guard let type = try from.type(of: name) else { continue }
                let existing = try to.type(of: name)
                switch type {
                case S_IFDIR:
                    if let existing, existing != S_IFDIR { try to.remove(name) }
                    try to.makeDirectory(name)
                    pending.append(relative + [name])
                case S_IFREG, S_IFLNK:
                    if existing != nil { try to.remove(name) }
                    try to.addLink(to: name, in: from)
                default:
                    continue
                }
            }
        }
    }

    /// Removes merged trees no function uses any more.
    public func collectGarbage(keeping sets: Set<String>) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for entry in entries where !sets.contains(entry) {
            CodeCache.remove(root + "/" + entry)
        }
    }
}
