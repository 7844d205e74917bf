/// A condition operator as written in a policy, e.g. `ForAllValues:StringNotLikeIfExists`: the base test, whether it
/// is the negated form, the set qualifier and the `IfExists` suffix.
struct ConditionOperator: Sendable, Equatable {
    enum Ordering: Sendable, Equatable {
        case equal, less, lessOrEqual, greater, greaterOrEqual

        @inline(__always)
        func holds(_ value: Double, against bound: Double) -> Bool {
            switch self {
            case .equal: value == bound
            case .less: value < bound
            case .lessOrEqual: value <= bound
            case .greater: value > bound
            case .greaterOrEqual: value >= bound
            }
        }
    }

    enum Test: Sendable, Equatable {
        case stringEquals
        case stringEqualsIgnoreCase
        case stringLike
        case numeric(Ordering)
        case date(Ordering)
        case bool
        case binaryEquals
        case ipAddress
        /// `ArnEquals` and `ArnLike` behave identically: per-component wildcard matching.
        case arnLike
        case null
    }

    enum Qualifier: Sendable, Equatable {
        case none
        /// `ForAnyValue:` — some request value satisfies the test.
        case forAnyValue
        /// `ForAllValues:` — every request value satisfies the test (true when the key is absent).
        case forAllValues
    }

    var test: Test
    /// The `Not` form (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`…): with several policy values it holds when
    /// the request value matches none of them.
    var negated: Bool
    var qualifier: Qualifier
    /// `…IfExists`: an absent key satisfies the condition.
    var ifExists: Bool

    /// Parses an operator name; nil for names IAM does not know (including `NullIfExists`).
    init?(name: String) {
        var base = Substring(name)
        if base.hasPrefix("ForAnyValue:") {
            qualifier = .forAnyValue
            base = base.dropFirst("ForAnyValue:".count)
        } else if base.hasPrefix("ForAllValues:") {
            qualifier = .forAllValues
            base = base.dropFirst("ForAllValues:".count)
        } else {
            qualifier = .none
        }
        ifExists = base.hasSuffix("IfExists")
        if ifExists { base = base.dropLast("IfExists".count) }
        guard let (test, negated) = Self.tests[String(base)], !(test == .null && ifExists) else { return nil }
        self.test = test
        self.negated = negated
    }

    private static let tests: [String: (Test, Bool)] = [
        "StringEquals": (.stringEquals, false),
        "StringNotEquals": (.stringEquals, true),
        "StringEqualsIgnoreCase": (.stringEqualsIgnoreCase, false),
        "StringNotEqualsIgnoreCase": (.stringEqualsIgnoreCase, true),
        "StringLike": (.stringLike, false),
        "StringNotLike": (.stringLike, true),
        "NumericEquals": (.numeric(.equal), false),
        "NumericNotEquals": (.numeric(.equal), true),
        "NumericLessThan": (.numeric(.less), false),
        "NumericLessThanEquals": (.numeric(.lessOrEqual), false),
        "NumericGreaterThan": (.numeric(.greater), false),
        "NumericGreaterThanEquals": (.numeric(.greaterOrEqual), false),
        "DateEquals": (.date(.equal), false),
        "DateNotEquals": (.date(.equal), true),
        "DateLessThan": (.date(.less), false),
        "DateLessThanEquals": (.date(.lessOrEqual), false),
        "DateGreaterThan": (.date(.greater), false),
        "DateGreaterThanEquals": (.date(.greaterOrEqual), false),
        "Bool": (.bool, false),
        "BinaryEquals": (.binaryEquals, false),
        "IpAddress": (.ipAddress, false),
        "NotIpAddress": (.ipAddress, true),
        "ArnEquals": (.arnLike, false),
        "ArnLike": (.arnLike, false),
        "ArnNotEquals": (.arnLike, true),
        "ArnNotLike": (.arnLike, true),
        "Null": (.null, false),
    ]
}
