import Foundation
import JSONText

/// Moves documents between CBOR and JSON so one set of `Codable` shapes serves the RPC v2 CBOR and the JSON
/// protocols: a request's CBOR becomes JSON text for `JSONDecoder` (tag-1 timestamps become epoch seconds, byte
/// strings base64, non-finite floats the strings `JSONDecoder`'s non-conforming strategy reads), and a response's
/// JSON becomes CBOR (timestamps, which `CBORBridge.encoder` writes as marked strings, become tag 1).
public enum CBORBridge {
    /// The prefix a timestamp carries through the JSON intermediate (no real string starts with U+0001).
    static let timestampMarker = "\u{1}ts:"

    /// A JSON encoder whose dates come out as marked strings `jsonValueToCBOR` turns into tag-1 timestamps.
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(timestampMarker + String(date.timeIntervalSince1970))
        }
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return e
    }

    /// A JSON decoder for documents `cborToJSON` wrote: dates as epoch seconds, non-finite floats as strings.
    public static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return d
    }

    /// JSON text of a CBOR document whose map keys are text.
    public static func json(from value: CBORValue) throws(CBORError) -> [UInt8] {
        var out: [UInt8] = []
        try write(value, into: &out)
        return out
    }

    private static func write(_ value: CBORValue, into out: inout [UInt8]) throws(CBORError) {
        switch value {
        case .unsigned(let n): out += Array(String(n).utf8)
        case .negative(let n):
            out += Array((n == UInt64.max ? "-18446744073709551616" : "-" + String(n + 1)).utf8)
        case .float(let d): number(d, into: &out)
        case .bytes(let b): string(Data(b).base64EncodedString(), into: &out)
        case .text(let t): string(t, into: &out)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .null, .undefined: out += Array("null".utf8)
        case .tagged(1, let inner):
            switch inner {
            case .unsigned, .negative, .float: try write(inner, into: &out)
            default: throw CBORError("a timestamp (tag 1) that is not a number")
            }
        case .tagged(_, let inner): try write(inner, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .map(let pairs):
            out.append(UInt8(ascii: "{"))
            for (i, pair) in pairs.enumerated() {
                guard case .text(let key) = pair.key else { throw CBORError("a map key that is not a text string") }
                if i > 0 { out.append(UInt8(ascii: ",")) }
                string(key, into: &out)
                out.append(UInt8(ascii: ":"))
                try write(pair.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func number(_ d: Double, into out: inout [UInt8]) {
        if d.isNaN { string("NaN", into: &out) }
        else if d.isInfinite { string(d > 0 ? "Infinity" : "-Infinity", into: &out) }
        else if d == d.rounded(), abs(d) < 1e15 { out += Array(String(Int64(d)).utf8) }
        else { out += Array("\(d)".utf8) }
    }

    private static func string(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0a: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0d: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The CBOR document of JSON text `CBORBridge.encoder` wrote: integers stay integers, numbers with a fraction
    /// or exponent become floats, marked strings become tag-1 timestamps.
    public static func cbor(fromJSON bytes: [UInt8]) throws(CBORError) -> CBORValue {
        guard let text = JSONText(parsing: bytes) else { throw CBORError("the document is not JSON") }
        return cbor(text)
    }

    static func cbor(_ text: JSONText) -> CBORValue {
        switch text {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let literal):
            if !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let n = Int64(literal) {
                return n >= 0 ? .unsigned(UInt64(n)) : .negative(UInt64(-1 - n))
            }
            return .float(Double(literal) ?? .nan)
        case .string(let s):
            if s.hasPrefix(timestampMarker), let seconds = Double(s.dropFirst(timestampMarker.count)) {
                return .tagged(1, .float(seconds))
            }
            return .text(s)
        case .array(let items): return .array(items.map(cbor))
        case .object(let fields): return .map(fields.map { (key: .text($0.key), value: cbor($0.value)) })
        }
    }
}
