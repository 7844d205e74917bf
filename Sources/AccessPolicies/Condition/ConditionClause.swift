/// One key under one operator of a statement's `Condition`, with its policy values parsed to the operator's type
/// when the policy is compiled. A statement's clauses are ANDed; a clause's values are ORed (NOR for the negated
/// operators).
final class ConditionClause: Sendable {
    /// The policy values, typed for the operator.
    enum Values: Sendable {
        case patterns([WildcardPattern])
        case arns([ArnPattern])
        case numbers([Double])
        case instants([Double])
        case ranges([IPAddressRange])
        case bytes([[UInt8]])
        /// `Null`: `true` expects the key to be absent, `false` present.
        case nulls([Bool])
    }

    let key: ContextKey
    let op: ConditionOperator
    let values: Values

    /// Compiles `key: values` under `op`. Policy variables are read in string, ARN and Bool values of 2012-10-17
    /// documents only; numbers, dates, addresses and binary values must be literals of their type.
    init(op: ConditionOperator, key: String, values texts: [String], variables: Bool) throws(MalformedPolicy) {
        guard let colon = key.firstIndex(of: ":"), colon != key.startIndex else { throw .missingVendor }
        self.key = ContextKey(key)
        self.op = op
        switch op.test {
        case .stringEquals, .bool:
            let syntax = PatternSyntax(wildcards: false, variables: variables)
            values = .patterns(texts.map { WildcardPattern($0, syntax: syntax, foldsCase: op.test == .bool) })
        case .stringEqualsIgnoreCase:
            let syntax = PatternSyntax(wildcards: false, variables: variables)
            values = .patterns(texts.map { WildcardPattern($0, syntax: syntax, foldsCase: true) })
        case .stringLike:
            let syntax = PatternSyntax(wildcards: true, variables: variables)
            values = .patterns(texts.map { WildcardPattern($0, syntax: syntax, foldsCase: false) })
        case .arnLike:
            values = .arns(texts.map { ArnPattern($0, variables: variables) })
        case .numeric:
            var numbers: [Double] = []
            for text in texts {
                guard let number = Self.number(text) else { throw .syntax }
                numbers.append(number)
            }
            values = .numbers(numbers)
        case .date:
            var instants: [Double] = []
            for text in texts {
                guard let instant = Timestamp.parse(text) else { throw .legacyParsing }
                instants.append(instant)
            }
            values = .instants(instants)
        case .ipAddress:
            var ranges: [IPAddressRange] = []
            for text in texts {
                guard let range = IPAddressRange(text) else { throw .syntax }
                ranges.append(range)
            }
            values = .ranges(ranges)
        case .binaryEquals:
            var blobs: [[UInt8]] = []
            for text in texts {
                guard let blob = Base64.decode(text) else { throw .syntax }
                blobs.append(blob)
            }
            values = .bytes(blobs)
        case .null:
            var expectations: [Bool] = []
            for text in texts {
                switch asciiLowercased(text) {
                case "true": expectations.append(true)
                case "false": expectations.append(false)
                default: throw .syntax
                }
            }
            values = .nulls(expectations)
        }
    }

    /// Whether the clause holds for the request, as AWS documents it:
    /// - an absent key (or one with no values) fails the condition, except that `…IfExists` and `ForAllValues:`
    ///   hold and a negated operator without a qualifier holds; `Null` tests presence itself;
    /// - `ForAllValues:` needs every request value to match a policy value (negated: to match none);
    /// - `ForAnyValue:` needs one request value to match a policy value (negated: one that matches none);
    /// - without a qualifier, some request value must match some policy value (negated: no value matches any).
    func holds(in context: EvaluationContext) -> Bool {
        if case .ranges(let ranges) = values, key.kind == .named,
           let entry = context.entry(key), context.entries[entry].values.count == 1 {
            // One address, parsed once per evaluation however many statements test it.
            guard let address = context.address(ofEntry: entry) else { return op.negated }
            return ranges.contains { $0.contains(address) } != op.negated
        }
        let found = context.values(of: key)
        if case .nulls(let expectations) = values {
            let absent = found.isAbsent
            return expectations.contains(absent)
        }
        if found.isAbsent {
            if op.ifExists { return true }
            switch op.qualifier {
            case .forAllValues: return true
            case .forAnyValue: return false
            case .none: return op.negated
            }
        }
        switch (op.qualifier, op.negated) {
        case (.forAllValues, false): return found.allSatisfy { matchesAny($0, in: context) }
        case (.forAllValues, true): return found.allSatisfy { !matchesAny($0, in: context) }
        case (.forAnyValue, true): return found.contains { !matchesAny($0, in: context) }
        case (_, false): return found.contains { matchesAny($0, in: context) }
        case (.none, true): return !found.contains { matchesAny($0, in: context) }
        }
    }

    /// Whether one request value matches any of the policy values under the operator's (positive) test.
    private func matchesAny(_ value: ContextValue, in context: EvaluationContext) -> Bool {
        switch values {
        case .patterns(let patterns):
            var text = value.text
            return text.withUTF8 { bytes in patterns.contains { $0.matches(bytes, in: context) } }
        case .arns(let arns):
            let text = value.text
            return arns.contains { $0.matches(text, in: context) }
        case .numbers(let numbers):
            guard case .numeric(let ordering) = op.test, let number = Self.number(value.text) else { return false }
            return numbers.contains { ordering.holds(number, against: $0) }
        case .instants(let instants):
            guard case .date(let ordering) = op.test else { return false }
            let instant: Double
            switch value {
            case .instant(let seconds, _): instant = seconds
            case .text(let text):
                guard let parsed = Timestamp.parse(text) else { return false }
                instant = parsed
            }
            return instants.contains { ordering.holds(instant, against: $0) }
        case .ranges(let ranges):
            guard let address = IPAddressRange.address(value.text) else { return false }
            return ranges.contains { $0.contains(address) }
        case .bytes(let blobs):
            guard let blob = Base64.decode(value.text) else { return false }
            return blobs.contains(blob)
        case .nulls:
            return false
        }
    }

    /// A decimal number (`10`, `-2.5`, `1e3`); hexadecimal, `inf` and `nan` are not numbers here.
    static func number(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 || $0 == 43 || $0 == 101 || $0 == 69 })
        else { return nil }
        return Double(text)
    }
}
