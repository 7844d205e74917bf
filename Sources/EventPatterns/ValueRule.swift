/// One element of a pattern's value list: a value the event's field may have, or a comparison it must pass.
enum ValueRule: Sendable, Equatable {
    case equals(EventJSON)
    /// `prefix`, or `prefix: {equals-ignore-case: …}` when `ignoringCase`.
    case prefix(String, ignoringCase: Bool)
    /// `suffix`, or `suffix: {equals-ignore-case: …}` when `ignoringCase`.
    case suffix(String, ignoringCase: Bool)
    case equalsIgnoringCase(String)
    case wildcard(WildcardPattern)
    case cidr(CIDRBlock)
    case anythingBut(AnythingBut)
    case numeric([NumericBound])
    /// `exists: true` is met by a field with a leaf value; `exists: false` by a field absent or without leaves (an
    /// object, an array of objects; see `EventPattern.match`).
    case exists(Bool)

    /// What `anything-but` excludes: a string or number passes when it is none of these.
    enum AnythingBut: Sendable, Equatable {
        case values([EventJSON])
        case prefixes([String])
        case suffixes([String])
        case equalsIgnoringCase([String])
        case wildcards([WildcardPattern])
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
        case .prefix(let p, let folding):
            guard let s = value.stringValue else { return false }
            return folding ? Self.starts(s.lowercased(), with: p.lowercased()) : Self.starts(s, with: p)
        case .suffix(let x, let folding):
            guard let s = value.stringValue else { return false }
            return folding ? Self.ends(s.lowercased(), with: x.lowercased()) : Self.ends(s, with: x)
        case .equalsIgnoringCase(let s): return value.stringValue.map { Self.sameIgnoringCase($0, s) } ?? false
        case .wildcard(let w): return value.stringValue.map(w.matches) ?? false
        case .cidr(let block): return value.stringValue.map(block.contains) ?? false
        case .anythingBut(let excluded):
            // Only a string or a number can differ from the excluded values; a null, a flag or an object is no match.
            switch excluded {
            case .values(let values):
                switch value {
                case .string, .number: return !values.contains { Self.same($0, value) }
                default: return false
                }
            case .prefixes(let ps): return value.stringValue.map { s in !ps.contains { Self.starts(s, with: $0) } } ?? false
            case .suffixes(let ss): return value.stringValue.map { s in !ss.contains { Self.ends(s, with: $0) } } ?? false
            case .equalsIgnoringCase(let xs): return value.stringValue.map { s in !xs.contains { Self.sameIgnoringCase(s, $0) } } ?? false
            case .wildcards(let ws): return value.stringValue.map { s in !ws.contains { $0.matches(s) } } ?? false
            }
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

    static func sameIgnoringCase(_ a: String, _ b: String) -> Bool {
        a.lowercased().utf8.elementsEqual(b.lowercased().utf8)
    }

    static func starts(_ text: String, with prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    static func ends(_ text: String, with suffix: String) -> Bool {
        text.utf8.reversed().starts(with: suffix.utf8.reversed())
    }
}
