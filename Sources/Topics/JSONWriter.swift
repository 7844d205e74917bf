import JSONText

/// Writes JSON with fields in the order given, as SNS's envelopes and events have them.
struct JSONWriter {
    private(set) var text = ""

    /// A JSON string literal.
    static func quote(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `{"a":…,"b":…}` from already-encoded values, compact.
    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// `{\n  "a" : …,\n  "b" : …\n}`: the pretty layout SNS writes its HTTP and SQS envelopes in.
    static func pretty(_ fields: [(String, String)]) -> String {
        "{\n" + fields.map { "  " + quote($0.0) + " : " + $0.1 }.joined(separator: ",\n") + "\n}"
    }
}

extension JSONWriter {
    /// A parsed document written back compactly (numbers as they were written).
    static func render(_ json: JSONText) -> String {
        switch json {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return quote(s)
        case .array(let items): return "[" + items.map(render).joined(separator: ",") + "]"
        case .object(let fields): return object(fields.map { ($0.key, render($0.value)) })
        }
    }
}
