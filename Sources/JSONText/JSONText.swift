/// A JSON document as AWS's own matchers read it: numbers keep the text they were written with (an exact match
/// compares `300` and `300.0` as different), objects keep their fields in order, repeated names included (a
/// policy refuses them, an event takes the last). Shared by event patterns and the IAM policy language.
public indirect enum JSONText: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONText])
    case object([(key: String, value: JSONText)])

    /// Parses exactly one RFC 8259 document; nil when `bytes` are anything else, not valid UTF-8 inside a
    /// string, or nested deeper than `JSONTextReader.maxDepth`. A leading byte order mark is skipped when allowed.
    public init?(parsing bytes: some Collection<UInt8>, allowingByteOrderMark: Bool = false) {
        var reader = JSONTextReader(bytes: Array(bytes), allowingByteOrderMark: allowingByteOrderMark)
        guard let value = reader.document() else { return nil }
        self = value
    }

    /// Whether this value or any value inside it is an object that names a field twice.
    public var hasRepeatedField: Bool {
        switch self {
        case .null, .bool, .number, .string: return false
        case .array(let items): return items.contains { $0.hasRepeatedField }
        case .object(let fields):
            var seen = Set<String>()
            for field in fields {
                if !seen.insert(field.key).inserted || field.value.hasRepeatedField { return true }
            }
            return false
        }
    }
}
