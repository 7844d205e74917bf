/// Reads one CBOR data item from bytes: definite and indefinite lengths, half/single/double floats, tags.
/// Bounded: nesting depth and every declared length are checked against the input before anything is allocated.
public struct CBORReader {
    private let bytes: [UInt8]
    private var offset = 0
    private let maxDepth: Int

    public init(_ bytes: [UInt8], maxDepth: Int = 64) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// The one data item the bytes hold; trailing bytes are an error.
    public static func decode(_ bytes: [UInt8]) throws(CBORError) -> CBORValue {
        var reader = CBORReader(bytes)
        let value = try reader.item(depth: 0)
        guard reader.offset == bytes.count else { throw CBORError("\(bytes.count - reader.offset) bytes after the data item") }
        return value
    }

    private mutating func byte() throws(CBORError) -> UInt8 {
        guard offset < bytes.count else { throw CBORError("the data item ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func take(_ count: UInt64) throws(CBORError) -> ArraySlice<UInt8> {
        guard count <= UInt64(bytes.count - offset) else { throw CBORError("a length of \(count) runs past the end") }
        let start = offset
        offset += Int(count)
        return bytes[start..<offset]
    }

    /// The argument of an initial byte's additional information; nil for the indefinite marker (31).
    private mutating func argument(_ info: UInt8) throws(CBORError) -> UInt64? {
        switch info {
        case 0..<24: return UInt64(info)
        case 24: return UInt64(try byte())
        case 25, 26, 27:
            let width = 1 << (info - 24)
            var value: UInt64 = 0
            for b in try take(UInt64(width)) { value = value << 8 | UInt64(b) }
            return value
        case 31: return nil
        default: throw CBORError("reserved additional information \(info)")
        }
    }

    private mutating func item(depth: Int) throws(CBORError) -> CBORValue {
        guard depth <= maxDepth else { throw CBORError("nested deeper than \(maxDepth)") }
        let initial = try byte()
        let major = initial >> 5
        let info = initial & 0x1f
        if major == 7 { return try simple(info) }
        let arg = try argument(info)
        switch major {
        case 0:
            guard let n = arg else { throw CBORError("an indefinite integer") }
            return .unsigned(n)
        case 1:
            guard let n = arg else { throw CBORError("an indefinite integer") }
            return .negative(n)
        case 2, 3:
            var content: [UInt8] = []
            if let n = arg {
                content = Array(try take(n))
            } else {
                while true {
                    guard offset < bytes.count else { throw CBORError("an indefinite string ends early") }
                    if bytes[offset] == 0xff { offset += 1; break }
                    let chunk = try item(depth: depth + 1)
                    switch (major, chunk) {
                    case (2, .bytes(let b)): content += b
                    case (3, .text(let t)): content += Array(t.utf8)
                    default: throw CBORError("an indefinite string holds a chunk of another type")
                    }
                }
            }
            if major == 2 { return .bytes(content) }
            guard let text = String(validating: content, as: UTF8.self) else { throw CBORError("a text string is not UTF-8") }
            return .text(text)
        case 4:
            var items: [CBORValue] = []
            if let n = arg {
                guard n <= UInt64(bytes.count - offset) else { throw CBORError("an array of \(n) items runs past the end") }
                items.reserveCapacity(Int(n))
                for _ in 0..<n { items.append(try item(depth: depth + 1)) }
            } else {
                while try !atBreak() { items.append(try item(depth: depth + 1)) }
            }
            return .array(items)
        case 5:
            var pairs: [(key: CBORValue, value: CBORValue)] = []
            if let n = arg {
                guard n <= UInt64(bytes.count - offset) / 2 else { throw CBORError("a map of \(n) pairs runs past the end") }
                pairs.reserveCapacity(Int(n))
                for _ in 0..<n { pairs.append((try item(depth: depth + 1), try item(depth: depth + 1))) }
            } else {
                while try !atBreak() { pairs.append((try item(depth: depth + 1), try item(depth: depth + 1))) }
            }
            return .map(pairs)
        default:
            guard let tag = arg else { throw CBORError("an indefinite tag") }
            return .tagged(tag, try item(depth: depth + 1))
        }
    }

    private mutating func atBreak() throws(CBORError) -> Bool {
        guard offset < bytes.count else { throw CBORError("an indefinite item ends early") }
        if bytes[offset] == 0xff { offset += 1; return true }
        return false
    }

    private mutating func simple(_ info: UInt8) throws(CBORError) -> CBORValue {
        switch info {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        case 23: return .undefined
        case 25:
            let raw = try take(2)
            return .float(Self.half(UInt16(raw[raw.startIndex]) << 8 | UInt16(raw[raw.startIndex + 1])))
        case 26:
            var bits: UInt32 = 0
            for b in try take(4) { bits = bits << 8 | UInt32(b) }
            return .float(Double(Float(bitPattern: bits)))
        case 27:
            var bits: UInt64 = 0
            for b in try take(8) { bits = bits << 8 | UInt64(b) }
            return .float(Double(bitPattern: bits))
        case 31: throw CBORError("an unexpected break")
        default: throw CBORError("an unsupported simple value \(info)")
        }
    }

    /// IEEE 754 half precision.
    static func half(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1f)
        let fraction = Double(bits & 0x3ff)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
