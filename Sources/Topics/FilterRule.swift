import Foundation

/// One element of a filter policy's value list: a value the attribute or body field may have, or a test it passes.
enum FilterRule: Sendable, Equatable {
    case equals(FilterValue)
    case prefix(String)
    case suffix(String)
    case equalsIgnoreCase(String)
    case anythingBut(AnythingBut)
    case numeric([NumericBound])
    case exists(Bool)
    case cidr(CIDRBlock)

    enum AnythingBut: Sendable, Equatable {
        case values([FilterValue])
        case prefixes([String])
        case suffixes([String])
        case equalsIgnoreCase([String])
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

    /// Whether one present value passes (the caller tries each element of an array or `String.Array`).
    func admits(_ value: FilterValue) -> Bool {
        switch self {
        case .equals(let expected):
            if case .string(let a) = expected, case .string(let b) = value { return a.utf8.elementsEqual(b.utf8) }
            return expected == value
        case .prefix(let p): return value.string.map { $0.utf8.starts(with: p.utf8) } ?? false
        case .suffix(let s): return value.string.map { $0.utf8.reversed().starts(with: s.utf8.reversed()) } ?? false
        case .equalsIgnoreCase(let s): return value.string.map { $0.lowercased() == s.lowercased() } ?? false
        case .anythingBut(let but):
            switch (but, value) {
            case (.values(let excluded), .string), (.values(let excluded), .number):
                return !excluded.contains { FilterRule.equals($0).admits(value) }
            case (.prefixes(let ps), .string(let s)): return !ps.contains { s.utf8.starts(with: $0.utf8) }
            case (.suffixes(let ss), .string(let s)): return !ss.contains { s.utf8.reversed().starts(with: $0.utf8.reversed()) }
            case (.equalsIgnoreCase(let vs), .string(let s)): return !vs.contains { $0.lowercased() == s.lowercased() }
            default: return false
            }
        case .numeric(let bounds):
            guard let n = value.number else { return false }
            return bounds.allSatisfy { $0.admits(n) }
        case .exists(let present): return present
        case .cidr(let block): return value.string.map { block.contains($0) } ?? false
        }
    }
}
