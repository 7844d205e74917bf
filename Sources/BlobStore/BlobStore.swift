import Crypto
import Foundation

/// The SHA-256 of a blob, which is also its name in the store.
public struct BlobDigest: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Lower-case hex.
    public let hex: String

    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        self.hex = hex
    }

    public init(of data: Data) {
        self.init(bytes: Array(SHA256.hash(data: data)))
    }

    init(bytes: [UInt8]) {
        self.hex = bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The digest as Lambda prints `CodeSha256`: base64 of the raw 32 bytes.
    public var base64: String {
        var bytes: [UInt8] = []
        var i = hex.utf8.makeIterator()
        while let a = i.next(), let b = i.next() {
            bytes.append(UInt8(String(decoding: [a, b], as: UTF8.self), radix: 16)!)
        }
        return Data(bytes).base64EncodedString()
    }

    public var description: String { "sha256:\(hex)" }
}

public enum BlobStoreError: Error, Equatable, CustomStringConvertible {
    case io(String)
    case corrupt(BlobDigest)
    /// Neither this node nor the shared tier (when there is one) has the blob.
    case missing(BlobDigest)

    public var description: String {
        switch self {
        case .io(let message): "blob store: \(message)"
        case .corrupt(let digest): "blob store: \(digest) does not match its content"
        case .missing(let digest): "blob store: missing \(digest)"
        }
    }
}

/// Content-addressed archives under `<root>/sha256/<2 hex>/<62 hex>`.
///
/// A blob is written to a temporary file, flushed, and renamed into place, so a reader
/// never sees a partial blob; writing the same content twice is a no-op.
///
/// On a node of a cluster the files are a cache of the `shared` tier, which every node reads and writes
/// (`BlobStore+Shared.swift`); without one they are the only copy, as on a single machine.
public struct BlobStore: Sendable {
    public let root: String
    /// The blobs every node of a cluster shares; nil on a single machine.
    public let shared: (any SharedBlobStore)?

    public init(root: String, shared: (any SharedBlobStore)? = nil) throws {
        self.root = root
        self.shared = shared
        try FileManager.default.createDirectory(atPath: root + "/sha256", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/tmp", withIntermediateDirectories: true)
    }

    public func path(of digest: BlobDigest) -> String {
        let hex = digest.hex
        return "\(root)/sha256/\(hex.prefix(2))/\(hex.dropFirst(2))"
    }

    public func contains(_ digest: BlobDigest) -> Bool {
        FileManager.default.fileExists(atPath: path(of: digest))
    }

    /// Stores `data` durably and returns its digest.
    @discardableResult
    public func put(_ data: Data) throws -> BlobDigest {
        let digest = BlobDigest(of: data)
        try writeFile(data, as: digest)
        return digest
    }

    /// Stores `data`, whose digest the caller has computed, under `digest`.
    func writeFile(_ data: Data, as digest: BlobDigest) throws {
        let final = path(of: digest)
        if FileManager.default.fileExists(atPath: final) { return }
        try FileManager.default.createDirectory(atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let tmp = "\(root)/tmp/\(UUID().uuidString)"
        let fd = open(tmp, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BlobStoreError.io("cannot create \(tmp): errno \(errno)") }
        var ok = true
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { ok = false; return }
                offset += n
            }
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(tmp, final) == 0 else {
            unlink(tmp)
            throw BlobStoreError.io("cannot write \(final): errno \(errno)")
        }
    }

    /// The blob's bytes, checked against its digest.
    public func get(_ digest: BlobDigest) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path(of: digest)) else {
            throw BlobStoreError.missing(digest)
        }
        guard BlobDigest(of: data) == digest else { throw BlobStoreError.corrupt(digest) }
        return data
    }

    /// Removes a blob no record refers to any more.
    public func remove(_ digest: BlobDigest) {
        unlink(path(of: digest))
    }
}

extension BlobStore {
    /// Every stored digest.
    public func allDigests() -> [BlobDigest] {
        let base = root + "/sha256"
        var out: [BlobDigest] = []
        for dir in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
            for rest in (try? FileManager.default.contentsOfDirectory(atPath: "\(base)/\(dir)")) ?? [] {
                if let d = BlobDigest(hex: dir + rest) { out.append(d) }
            }
        }
        return out
    }

    /// Removes temporary files a crash left behind and blobs not in `referenced`; returns how many blobs went.
    @discardableResult
    public func collectGarbage(keeping referenced: Set<String>) -> Int {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root + "/tmp")) ?? [] {
            unlink("\(root)/tmp/\(name)")
        }
        var removed = 0
        for digest in allDigests() where !referenced.contains(digest.hex) {
            remove(digest)
            removed += 1
        }
        return removed
    }
}
