/// Writes `JSONText` back compactly, numbers as they were written and fields in their order (EventBridge events,
/// SNS envelopes and X-Ray segments keep the caller's text), and JSON string literals.
public enum JSONTextWriter {
    public static func write(_ value: JSONText) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    public static func write(_ value: JSONText, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, field) in fields.enumerated() {
                if i > 0 { out += "," }
                quote(field.key, into: &out)
                out += ":"
                write(field.value, into: &out)
            }
            out += "}"
        }
    }

    public static func quote(_ s: String) -> String {
        var out = ""
        quote(s, into: &out)
        return out
    }

    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        escape(s, into: &out)
        out += "\""
    }

    /// The string's JSON escaping without the quotes.
    public static func escape(_ s: String, into out: inout String) {
        for scalar in s.unicodeScalars {
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
    }

    /// `write(_:)` (the name the trace code reads best with).
    public static func string(_ value: JSONText) -> String { write(value) }
}
