import Foundation
import ZIPFoundation

/// A zip read as a deployment package: each entry checked by itself (`PackageEntry`) and against the ones before it
/// (`PackageLayout`), in archive order, with access to its contents that stops at the declared size and checks the
/// CRC. Upload refuses a package with any problem; unpacking writes the entries that have none.
public struct PackageArchive: Sendable {
    /// An entry that can be unpacked, with the record its data is found by.
    public struct Item: Sendable {
        public let entry: PackageEntry
        public let record: ZipCentralDirectory.Record
    }

    public let data: Data
    /// The entries that can be unpacked, in archive order.
    public let items: [Item]
    /// The entries that cannot, with why.
    public let problems: [PackageEntryProblem]
    /// The sum of every entry's declared size (a link counts its target's length).
    public let unzippedSize: UInt64

    /// Longest link target `symlink(2)` takes.
    static let maxLinkTarget = 4095
    static let chunkSize = 64 * 1024

    /// Reads and checks `data`; nil when it is not a zip that can be read at all.
    public init?(_ data: Data) {
        guard let directory = ZipCentralDirectory(data) else { return nil }
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read, pathEncoding: nil)
        } catch {
            return nil
        }
        // ZIPFoundation decodes the names (UTF-8 when flagged, else code page 437) as it always has here; its
        // entries come in central-directory order, as the records do.
        let names = archive.map(\.path)
        guard names.count == directory.records.count else { return nil }
        self.data = data
        unzippedSize = directory.records.reduce(0) { $0 &+ $1.uncompressedSize }
        var layout = PackageLayout()
        var items: [Item] = []
        var problems: [PackageEntryProblem] = []
        for (name, record) in zip(names, directory.records) {
            do throws(PackageEntryProblem) {
                let item = Item(entry: try PackageEntry(name: name, record: record), record: record)
                if item.entry.kind != .directory {
                    if record.isEncrypted || (record.method != 0 && record.method != 8) { throw .unsupportedEntry(name) }
                    if ZipCentralDirectory.storedData(of: record, in: data) == nil { throw .corruptData(name) }
                }
                if item.entry.kind == .symlink { _ = try Self.linkTarget(of: item, in: data) }
                try layout.admit(item.entry)
                items.append(item)
            } catch {
                problems.append(error)
            }
        }
        self.items = items
        self.problems = problems
    }

    /// Passes `item`'s contents to `consumer` in chunks, then checks that they had the declared size and CRC.
    /// Throws `PackageEntryProblem.corruptData` for bad data, and what `consumer` throws as it is.
    public func contents(of item: Item, _ consumer: (Data) throws -> Void) throws {
        try Self.contents(of: item, in: data, consumer)
    }

    /// The target a link entry stores, as bytes (a target need not be UTF-8): not empty, no NUL, at most 4,095 bytes.
    public func linkTarget(of item: Item) throws(PackageEntryProblem) -> [UInt8] {
        try Self.linkTarget(of: item, in: data)
    }

    static func linkTarget(of item: Item, in data: Data) throws(PackageEntryProblem) -> [UInt8] {
        let name = item.entry.name
        guard item.record.uncompressedSize > 0, item.record.uncompressedSize <= UInt64(maxLinkTarget) else {
            throw .invalidLinkTarget(name)
        }
        var target: [UInt8] = []
        do {
            try contents(of: item, in: data) { target.append(contentsOf: $0) }
        } catch let problem as PackageEntryProblem {
            throw problem
        } catch {
            throw .corruptData(name)
        }
        if target.contains(0) { throw .invalidLinkTarget(name) }
        return target
    }

    /// Carries an error of the consumer through ZIPFoundation's inflater untouched.
    private struct ConsumerError: Error {
        let error: any Error
    }

    /// A deflate stream that needs more bytes than the entry has.
    private struct Truncated: Error {}

    static func contents(of item: Item, in data: Data, _ consumer: (Data) throws -> Void) throws {
        let record = item.record
        let name = item.entry.name
        guard let stored = ZipCentralDirectory.storedData(of: record, in: data) else {
            throw PackageEntryProblem.corruptData(name)
        }
        switch record.method {
        case 0:
            guard UInt64(stored.count) == record.uncompressedSize, stored.crc32(checksum: 0) == record.crc32 else {
                throw PackageEntryProblem.corruptData(name)
            }
            try consumer(stored)
        case 8:
            var read = 0
            var produced: UInt64 = 0
            let crc: CRC32
            do {
                crc = try Data.decompress(
                    size: Int64(stored.count), bufferSize: chunkSize, skipCRC32: false,
                    provider: { _, size in
                        // ZIPFoundation's inflater tells zlib every chunk has `size` bytes, so each has that many:
                        // the last is padded with zeros, which no valid stream reaches and a truncated one fails on.
                        guard read < stored.count else { throw Truncated() }
                        let start = stored.startIndex + read
                        let count = Swift.min(size, stored.count - read)
                        read += count
                        var chunk = Data(stored[start..<start + count])
                        if count < size { chunk.append(Data(count: size - count)) }
                        return chunk
                    },
                    consumer: { chunk in
                        produced += UInt64(chunk.count)
                        // A zip bomb declares a small size and inflates to much more: stop at the declared size.
                        guard produced <= record.uncompressedSize else { throw Truncated() }
                        do { try consumer(chunk) } catch { throw ConsumerError(error: error) }
                    })
            } catch let passed as ConsumerError {
                throw passed.error
            } catch {
                throw PackageEntryProblem.corruptData(name)
            }
            guard produced == record.uncompressedSize, crc == record.crc32 else { throw PackageEntryProblem.corruptData(name) }
        default:
            throw PackageEntryProblem.unsupportedEntry(name)
        }
    }
}
