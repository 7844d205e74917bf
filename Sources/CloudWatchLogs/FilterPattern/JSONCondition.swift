import JSONText

/// The condition of a JSON filter pattern: `{ $.a.b = "x" && ($.n > 5 || $.flag IS TRUE) }`.
public indirect enum JSONCondition: Sendable, Equatable {
    case and(JSONCondition, JSONCondition)
    case or(JSONCondition, JSONCondition)
    case test(JSONSelector, JSONTest)

    /// Whether `message` is a JSON object or array that satisfies the condition; anything else never matches.
    public func matches(message: String) -> Bool {
        guard let first = message.utf8.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
              first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return false }
        guard let document = JSONText(parsing: message.utf8) else { return false }
        return matches(document)
    }

    public func matches(_ document: JSONText) -> Bool {
        switch self {
        case .and(let a, let b): a.matches(document) && b.matches(document)
        case .or(let a, let b): a.matches(document) || b.matches(document)
        case .test(let selector, let test): test.holds(for: selector.resolve(in: document))
        }
    }

    var requiredTexts: [[String]]? {
        switch self {
        case .and(let a, let b):
            switch (a.requiredTexts, b.requiredTexts) {
            case (nil, nil): return nil
            case (let x?, nil): return x
            case (nil, let y?): return y
            case (let x?, let y?):
                guard x.count * y.count <= 16 else { return x.count <= y.count ? x : y }
                return x.flatMap { left in y.map { left + $0 } }
            }
        case .or(let a, let b):
            guard let x = a.requiredTexts, let y = b.requiredTexts else { return nil }
            return x + y
        case .test(_, let test):
            // A string value must appear as written in the raw JSON unless JSON would escape some of it.
            guard case .equals(.text(let wildcard)) = test else { return nil }
            let literals = wildcard.literals.filter { literal in
                literal.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" && $0 != "/" }
            }
            return literals.isEmpty ? nil : [literals]
        }
    }
}

/// `$.a.b[0].c`: a path of field names and array indexes from the event's root.
public struct JSONSelector: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case field(String)
        case index(Int)
    }

    public var steps: [Step]

    public init(steps: [Step]) {
        self.steps = steps
    }

    /// The value at the path, nil when some step does not exist.
    public func resolve(in document: JSONText) -> JSONText? {
        var current = document
        for step in steps {
            switch (step, current) {
            case (.field(let name), .object(let fields)):
                guard let value = fields.last(where: { $0.key == name })?.value else { return nil }
                current = value
            case (.index(let i), .array(let items)):
                guard items.indices.contains(i) else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }
}

/// A value a comparison names: quoted or bare text (with `*` wildcards), or a number.
public enum PatternValue: Sendable, Equatable {
    case text(WildcardText)
    case number(Double, text: String)

    /// A bare token is a number when it reads as one (`200`, `-1.5`, `1e3`), else text.
    static func bare(_ token: String) -> PatternValue {
        if let n = Double(token), !token.contains("*") { return .number(n, text: token) }
        return .text(WildcardText(token))
    }

    /// Whether a field's text (a JSON string, or a space-delimited field) is equal.
    func equals(text value: String) -> Bool {
        switch self {
        case .text(let wildcard): return wildcard.matches(value)
        case .number(let n, let text): return value == text || Double(value) == n
        }
    }
}

/// What a JSON comparison asks of the selected value.
public enum JSONTest: Sendable, Equatable {
    case equals(PatternValue)
    case notEquals(PatternValue)
    case less(Double), lessOrEqual(Double), greater(Double), greaterOrEqual(Double)
    case isTrue, isFalse, isNull
    case notExists
    case exists

    func holds(for value: JSONText?) -> Bool {
        switch self {
        case .notExists: return value == nil
        case .exists: return value != nil
        default: break
        }
        guard let value else { return false }
        switch self {
        case .equals(let expected): return Self.equal(value, expected)
        case .notEquals(let expected): return !Self.equal(value, expected)
        case .less(let n): return Self.number(value).map { $0 < n } ?? false
        case .lessOrEqual(let n): return Self.number(value).map { $0 <= n } ?? false
        case .greater(let n): return Self.number(value).map { $0 > n } ?? false
        case .greaterOrEqual(let n): return Self.number(value).map { $0 >= n } ?? false
        case .isTrue: if case .bool(true) = value { return true } else { return false }
        case .isFalse: if case .bool(false) = value { return true } else { return false }
        case .isNull: if case .null = value { return true } else { return false }
        case .notExists, .exists: return false
        }
    }

    static func equal(_ value: JSONText, _ expected: PatternValue) -> Bool {
        switch value {
        case .string(let s): return expected.equals(text: s)
        case .number(let text):
            if case .number(let n, _) = expected { return Double(text) == n }
            return expected.equals(text: text)
        case .bool(let b): return expected.equals(text: b ? "true" : "false")
        case .null: return expected.equals(text: "null")
        case .array, .object: return false
        }
    }

    static func number(_ value: JSONText) -> Double? {
        if case .number(let text) = value { return Double(text) }
        return nil
    }
}
