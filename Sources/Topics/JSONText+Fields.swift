import JSONText

extension JSONText {
    /// The last value of a field of an object (nil for anything else).
    subscript(key: String) -> JSONText? {
        guard case .object(let fields) = self else { return nil }
        return fields.last { $0.key == key }?.value
    }

    var intValue: Int? {
        guard case .number(let text) = self else { return nil }
        return Int(text) ?? Double(text).flatMap { $0 == $0.rounded() ? Int($0) : nil }
    }

    var boolValue: Bool? {
        guard case .bool(let b) = self else { return nil }
        return b
    }

    var stringValue: String? {
        guard case .string(let s) = self else { return nil }
        return s
    }

    var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// Parses a JSON object from text.
    static func object(_ text: String) -> JSONText? {
        guard let json = JSONText(parsing: Array(text.utf8)), json.isObject else { return nil }
        return json
    }

    var keys: [String] {
        guard case .object(let fields) = self else { return [] }
        return fields.map(\.key)
    }
}
