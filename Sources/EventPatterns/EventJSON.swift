import JSONText

/// JSON as event patterns see it. Numbers keep their text: an exact match compares numbers as written (300 is not
/// 300.0), while numeric comparisons use their value.
public indirect enum EventJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([EventJSON])
    case object([String: EventJSON])

    /// Parses one JSON document; nil when the bytes are not exactly that. A field named twice takes its last value.
    public init?(parsing bytes: some Collection<UInt8>) {
        guard let text = JSONText(parsing: bytes) else { return nil }
        self.init(text)
    }

    /// The same document read by `JSONText` (numbers as written; a field named twice takes its last value).
    public init(_ text: JSONText) {
        switch text {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(EventJSON.init))
        case .object(let fields):
            var object: [String: EventJSON] = [:]
            for field in fields { object[field.key] = EventJSON(field.value) }
            self = .object(object)
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    public subscript(key: String) -> EventJSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
}

/// A recursive-descent reader of RFC 8259 JSON.
