/// Writes CBOR data items with definite lengths and the shortest argument encodings; floats as doubles
/// (or singles when that loses nothing).
public struct CBORWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public static func encode(_ value: CBORValue) -> [UInt8] {
        var writer = CBORWriter()
        writer.write(value)
        return writer.bytes
    }

    mutating func head(_ major: UInt8, _ argument: UInt64) {
        let m = major << 5
        switch argument {
        case 0..<24: bytes.append(m | UInt8(argument))
        case 24...0xff: bytes += [m | 24, UInt8(argument)]
        case 0x100...0xffff: bytes += [m | 25, UInt8(argument >> 8), UInt8(argument & 0xff)]
        case 0x10000...0xffff_ffff:
            bytes.append(m | 26)
            for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((argument >> UInt64(shift)) & 0xff)) }
        default:
            bytes.append(m | 27)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((argument >> UInt64(shift)) & 0xff)) }
        }
    }

    public mutating func write(_ value: CBORValue) {
        switch value {
        case .unsigned(let n): head(0, n)
        case .negative(let n): head(1, n)
        case .bytes(let b):
            head(2, UInt64(b.count))
            bytes += b
        case .text(let t):
            let utf8 = Array(t.utf8)
            head(3, UInt64(utf8.count))
            bytes += utf8
        case .array(let items):
            head(4, UInt64(items.count))
            for item in items { write(item) }
        case .map(let pairs):
            head(5, UInt64(pairs.count))
            for (k, v) in pairs {
                write(k)
                write(v)
            }
        case .tagged(let tag, let inner):
            head(6, tag)
            write(inner)
        case .bool(let b): bytes.append(b ? 0xf5 : 0xf4)
        case .null: bytes.append(0xf6)
        case .undefined: bytes.append(0xf7)
        case .float(let d):
            let single = Float(d)
            if Double(single) == d || d.isNaN {
                bytes.append(0xfa)
                let bits = single.bitPattern
                for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((bits >> UInt32(shift)) & 0xff)) }
            } else {
                bytes.append(0xfb)
                let bits = d.bitPattern
                for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((bits >> UInt64(shift)) & 0xff)) }
            }
        }
    }
}
