/// One element of a pattern's value list: a value the event's field may have, or a comparison it must pass.
enum ValueRule: Sendable, Equatable {
    case equals(EventJSON)
    case prefix(String)
    case suffix(String)
    case equalsIgnoringCase(String)
    case anythingBut(AnythingBut)
    case numeric([NumericBound])
    /// `exists: true` is met by a field with a leaf value; `exists: false` by a field absent or without leaves (an
    /// object, an array of objects; see `EventPattern.match`).
    case exists(Bool)

    enum AnythingBut: Sendable, Equatable {
        case values([EventJSON])
        case prefix(String)
        case suffix(String)
    }

    struct NumericBound: Sendable, Equatable {
        enum Comparison: String, Sendable {
            case less = "<", lessOrEqual = "<=", equal = "=", greater = ">", greaterOrEqual = ">="
        }
        var comparison: Comparison
        var bound: Double

        func admits(_ value: Double) -> Bool {
            switch comparison {
            case .less: value < bound
            case .lessOrEqual: value <= bound
            case .equal: value == bound
            case .greater: value > bound
            case .greaterOrEqual: value >= bound
            }
        }
    }

    /// Whether one present value (never an array: the caller tries each element) passes.
    func admits(_ value: EventJSON) -> Bool {
        switch self {
        case .equals(let expected): return Self.same(expected, value)
        case .prefix(let p): return value.stringValue.map { Self.starts($0, with: p) } ?? false
        case .suffix(let s): return value.stringValue.map { Self.ends($0, with: s) } ?? false
        case .equalsIgnoringCase(let s): return value.stringValue.map { Self.same(.string($0.lowercased()), .string(s.lowercased())) } ?? false
        case .anythingBut(.values(let excluded)):
            // Only a string or a number can differ from the excluded values; a null, a flag or an object is no match.
            switch value {
            case .string, .number: return !excluded.contains { Self.same($0, value) }
            default: return false
            }
        case .anythingBut(.prefix(let p)): return value.stringValue.map { !Self.starts($0, with: p) } ?? false
        case .anythingBut(.suffix(let s)): return value.stringValue.map { !Self.ends($0, with: s) } ?? false
        case .numeric(let bounds):
            guard let n = value.numberValue else { return false }
            return bounds.allSatisfy { $0.admits(n) }
        case .exists(let present): return present
        }
    }

    /// Equality as patterns see it: exactly, numbers as written (300 is not 300.0, as in Lambda's filtering), text
    /// by its code points (not Swift's canonical equivalence: "é" precomposed is not "e" and a combining accent).
    static func same(_ a: EventJSON, _ b: EventJSON) -> Bool {
        if case .string(let x) = a, case .string(let y) = b { return x.utf8.elementsEqual(y.utf8) }
        return a == b
    }

    static func starts(_ text: String, with prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    static func ends(_ text: String, with suffix: String) -> Bool {
        text.utf8.reversed().starts(with: suffix.utf8.reversed())
    }
}
