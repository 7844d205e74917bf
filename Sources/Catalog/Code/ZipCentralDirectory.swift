import Foundation

/// A zip's central directory as stored, with what ZIPFoundation keeps to itself: each entry's host system and Unix
/// mode (so device files, FIFOs and sockets can be told from files), its flags and compression method, and where its
/// data lies. Read by hand because a deployment package's check depends on exactly these bytes.
public struct ZipCentralDirectory: Sendable {
    /// One central-directory record.
    public struct Record: Sendable, Equatable {
        /// The upper byte of "version made by": 0 MS-DOS, 3 Unix, 19 macOS, …
        public let hostSystem: UInt8
        public let flags: UInt16
        /// 0 stored, 8 deflated; anything else is refused.
        public let method: UInt16
        public let crc32: UInt32
        public let compressedSize: UInt64
        public let uncompressedSize: UInt64
        public let localHeaderOffset: UInt64
        public let externalAttributes: UInt32

        /// The Unix `st_mode` (type and permission bits) when the entry was made on a Unix-like system and says one.
        public var unixMode: UInt32? {
            guard hostSystem == 3 || hostSystem == 19 else { return nil }
            let mode = externalAttributes >> 16
            return mode == 0 ? nil : mode
        }

        public var isEncrypted: Bool { flags & 1 != 0 }
    }

    public let records: [Record]

    static let endSignature: UInt32 = 0x0605_4b50
    static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    static let zip64EndSignature: UInt32 = 0x0606_4b50
    static let recordSignature: UInt32 = 0x0201_4b50
    static let localSignature: UInt32 = 0x0403_4b50

    /// Reads the directory of `data`; nil when it is not a readable zip.
    public init?(_ data: Data) {
        guard let records = data.withUnsafeBytes({ Self.parse(ZipBytes($0)) }) else { return nil }
        self.records = records
    }

    /// The bytes of `record`'s data as stored (compressed or not); nil when its local header is not where the
    /// record says or the data runs past the end of the archive.
    public static func storedData(of record: Record, in data: Data) -> Data? {
        let range: Range<Int>? = data.withUnsafeBytes { raw in
            let bytes = ZipBytes(raw)
            guard record.localHeaderOffset <= UInt64(Int.max) else { return nil }
            let header = Int(record.localHeaderOffset)
            guard bytes.u32(header) == localSignature,
                  let nameLength = bytes.u16(header + 26), let extraLength = bytes.u16(header + 28) else { return nil }
            let start = header + 30 + Int(nameLength) + Int(extraLength)
            guard record.compressedSize <= UInt64(raw.count), start <= raw.count - Int(record.compressedSize) else { return nil }
            return start..<start + Int(record.compressedSize)
        }
        guard let range else { return nil }
        return data.subdata(in: data.startIndex + range.lowerBound..<data.startIndex + range.upperBound)
    }

    private static func parse(_ bytes: ZipBytes) -> [Record]? {
        // The end record is the last 22 bytes, unless an archive comment (≤ 65,535 bytes) follows it.
        guard bytes.count >= 22 else { return nil }
        var end = bytes.count - 22
        let lowest = max(0, end - 65_535)
        while end >= lowest {
            if bytes.u32(end) == endSignature, let comment = bytes.u16(end + 20), end + 22 + Int(comment) <= bytes.count { break }
            end -= 1
        }
        guard end >= lowest, let total16 = bytes.u16(end + 10), let size32 = bytes.u32(end + 12),
              let offset32 = bytes.u32(end + 16) else { return nil }
        var count = UInt64(total16), offset = UInt64(offset32), size = UInt64(size32)
        if total16 == 0xFFFF || size32 == 0xFFFF_FFFF || offset32 == 0xFFFF_FFFF,
           end >= 20, bytes.u32(end - 20) == zip64LocatorSignature {
            guard let at = bytes.u64(end - 20 + 8), at < UInt64(bytes.count), bytes.u32(Int(at)) == zip64EndSignature,
                  let c = bytes.u64(Int(at) + 32), let s = bytes.u64(Int(at) + 40), let o = bytes.u64(Int(at) + 48) else { return nil }
            (count, size, offset) = (c, s, o)
        }
        guard offset <= UInt64(bytes.count), size <= UInt64(bytes.count) - offset,
              count <= size / 46 else { return nil }
        var records: [Record] = []
        records.reserveCapacity(Int(count))
        var at = Int(offset)
        for _ in 0..<count {
            guard bytes.u32(at) == recordSignature, let made = bytes.u16(at + 4), let flags = bytes.u16(at + 8),
                  let method = bytes.u16(at + 10), let crc = bytes.u32(at + 16), let compressed = bytes.u32(at + 20),
                  let uncompressed = bytes.u32(at + 24), let nameLength = bytes.u16(at + 28),
                  let extraLength = bytes.u16(at + 30), let commentLength = bytes.u16(at + 32),
                  let external = bytes.u32(at + 38), let local = bytes.u32(at + 42) else { return nil }
            let extra = at + 46 + Int(nameLength)
            guard extra + Int(extraLength) + Int(commentLength) <= bytes.count else { return nil }
            // ZIP64: the fields saturated at 0xFFFFFFFF are in the extended-information extra field, in this order.
            var sizes = [UInt64(uncompressed), UInt64(compressed), UInt64(local)]
            if sizes.contains(0xFFFF_FFFF) {
                guard var field = bytes.zip64Field(at: extra, length: Int(extraLength)) else { return nil }
                for index in sizes.indices where sizes[index] == 0xFFFF_FFFF {
                    guard field.count >= 8, let value = bytes.u64(field.lowerBound) else { return nil }
                    sizes[index] = value
                    field = field.lowerBound + 8..<field.upperBound
                }
            }
            records.append(Record(hostSystem: UInt8(made >> 8), flags: flags, method: method, crc32: crc,
                                  compressedSize: sizes[1], uncompressedSize: sizes[0], localHeaderOffset: sizes[2],
                                  externalAttributes: external))
            at = extra + Int(extraLength) + Int(commentLength)
        }
        return records
    }
}

/// Little-endian reads that answer nil past the end instead of trapping.
private struct ZipBytes {
    let raw: UnsafeRawBufferPointer
    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }
    var count: Int { raw.count }

    func u16(_ at: Int) -> UInt16? {
        guard at >= 0, at <= count - 2 else { return nil }
        return UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self))
    }

    func u32(_ at: Int) -> UInt32? {
        guard at >= 0, at <= count - 4 else { return nil }
        return UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    func u64(_ at: Int) -> UInt64? {
        guard at >= 0, at <= count - 8 else { return nil }
        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    /// The data range of the ZIP64 extended-information field (id 1) among the extra fields at `at`.
    func zip64Field(at start: Int, length: Int) -> Range<Int>? {
        var at = start
        while at + 4 <= start + length {
            guard let id = u16(at), let size = u16(at + 2) else { return nil }
            let body = at + 4..<at + 4 + Int(size)
            guard body.upperBound <= start + length else { return nil }
            if id == 1 { return body }
            at = body.upperBound
        }
        return nil
    }
}
