import JSONText

/// A policy document's JSON as the parser reads it: objects keep their fields in order and may not repeat one,
/// numbers keep their text (a condition value `10` and `"10"` mean the same), and nothing else is lost.
/// It exists only while a policy is compiled; evaluation never touches JSON.
indirect enum PolicyJSON {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([PolicyJSON])
    case object([(key: String, value: PolicyJSON)])

    /// Parses one JSON document (a byte order mark is tolerated, as IAM does for documents uploaded from files);
    /// nil when the text is not exactly one, or an object repeats a field.
    init?(parsing text: String) {
        guard let json = JSONText(parsing: Array(text.utf8), allowingByteOrderMark: true), !json.hasRepeatedField else {
            return nil
        }
        self.init(json)
    }

    init(_ json: JSONText) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(PolicyJSON.init))
        case .object(let fields): self = .object(fields.map { ($0.key, PolicyJSON($0.value)) })
        }
    }

    /// A scalar as the text a condition compares: strings as they are, numbers as written, booleans as
    /// `true`/`false`; nil for null, arrays and objects.
    var scalarText: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null, .array, .object: nil
        }
    }
}
