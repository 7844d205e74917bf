import Delivery
import Foundation
import JSONText

/// A subscription's filter policy: which published messages the subscriber receives. Keys name message attributes
/// (scope `MessageAttributes`) or fields of the JSON body (scope `MessageBody`, nested objects for nested fields);
/// each key's list is an OR of values and tests, all keys must match (AND), and `$or` takes alternatives.
/// The syntax is SNS's (exact, prefix, suffix, equals-ignore-case, anything-but, numeric, exists, cidr), with
/// SNS's limits (5 keys, 150 combinations). Written here rather than over `EventPatterns` because SNS reads
/// attributes by data type (`Number`, `String.Array`) and has `cidr`, which the event matcher does not.
public struct FilterPolicy: Sendable, Equatable {
    public enum Scope: String, Sendable {
        case messageAttributes = "MessageAttributes"
        case messageBody = "MessageBody"
    }

    indirect enum Node: Sendable, Equatable {
        /// Every field matches, and one option of each `$or`.
        case object(fields: [Field], alternatives: [[Node]])
        /// The value (or one element of it) passes one rule.
        case values([FilterRule])
    }

    struct Field: Sendable, Equatable {
        var key: String
        var node: Node
    }

    public static let maxKeys = 5
    public static let maxCombinations = 150

    let root: Node
    public let scope: Scope

    /// Parses and checks a policy; the error's reason is what SNS says about it.
    public init(json: String, scope: Scope) throws(FilterPolicyError) {
        guard let parsed = JSONText(parsing: Array(json.utf8)) else { throw FilterPolicyError("failed to parse JSON.") }
        guard case .object(let fields) = parsed else { throw FilterPolicyError("Filter policy must be a JSON object") }
        self.scope = scope
        root = try Self.node(fields, depth: 0, scope: scope)
        let keys = Self.leafKeys(root, path: "")
        if keys.count > Self.maxKeys {
            throw FilterPolicyError("Filter policy can not have more than \(Self.maxKeys) keys")
        }
        if Self.combinations(root) > Self.maxCombinations {
            throw FilterPolicyError("Filter policy is too complex")
        }
    }

    // MARK: Parsing

    static func node(_ fields: [(key: String, value: JSONText)], depth: Int, scope: Scope) throws(FilterPolicyError) -> Node {
        guard !fields.isEmpty else { throw FilterPolicyError("Empty objects are not allowed") }
        var parsed: [Field] = []
        var alternatives: [[Node]] = []
        for (key, value) in fields {
            if key == "$or" {
                guard case .array(let options) = value, options.count >= 2 else {
                    throw FilterPolicyError("$or must be a list of at least two filter policies")
                }
                var nodes: [Node] = []
                for option in options {
                    guard case .object(let o) = option else { throw FilterPolicyError("each option of $or must be an object") }
                    nodes.append(try node(o, depth: depth, scope: scope))
                }
                alternatives.append(nodes)
                continue
            }
            switch value {
            case .object(let nested):
                guard scope == .messageBody else {
                    throw FilterPolicyError("Filter policy scope MessageAttributes does not support nested filter policy")
                }
                parsed.append(Field(key: key, node: try node(nested, depth: depth + 1, scope: scope)))
            case .array(let items):
                guard !items.isEmpty else { throw FilterPolicyError("Empty arrays are not allowed") }
                var rules: [FilterRule] = []
                for item in items { rules.append(try rule(item)) }
                parsed.append(Field(key: key, node: .values(rules)))
            default:
                throw FilterPolicyError("\"\(key)\" must be an object or an array")
            }
        }
        return .object(fields: parsed, alternatives: alternatives)
    }

    static func value(_ json: JSONText) -> FilterValue? {
        switch json {
        case .string(let s): return .string(s)
        case .number(let n): return Double(n).map(FilterValue.number)
        case .bool(let b): return .bool(b)
        case .null: return .null
        default: return nil
        }
    }

    static func rule(_ json: JSONText) throws(FilterPolicyError) -> FilterRule {
        switch json {
        case .string, .number, .bool, .null:
            if case .number(let text) = json { try checkNumber(text) }
            return .equals(value(json)!)
        case .array:
            throw FilterPolicyError("Match value must be String, number, true, false, or null")
        case .object(let fields):
            guard fields.count == 1, let (op, argument) = fields.first else {
                throw FilterPolicyError("Only one key allowed in match expression")
            }
            switch op {
            case "prefix": return .prefix(try string(argument, op))
            case "suffix": return .suffix(try string(argument, op))
            case "equals-ignore-case": return .equalsIgnoreCase(try string(argument, op))
            case "exists":
                guard case .bool(let b) = argument else { throw FilterPolicyError("exists match pattern must be either true or false.") }
                return .exists(b)
            case "numeric": return .numeric(try numeric(argument))
            case "cidr":
                guard case .string(let text) = argument, let block = CIDRBlock(text) else {
                    throw FilterPolicyError("Malformed CIDR, one '/' required")
                }
                return .cidr(block)
            case "anything-but": return .anythingBut(try anythingBut(argument))
            default: throw FilterPolicyError("Unrecognized match type \(op)")
            }
        }
    }

    static func string(_ json: JSONText, _ op: String) throws(FilterPolicyError) -> String {
        guard case .string(let s) = json else { throw FilterPolicyError("\(op) match pattern must be a string") }
        return s
    }

    /// SNS takes numbers between -1e9 and 1e9 with at most five decimals.
    static func checkNumber(_ text: String) throws(FilterPolicyError) {
        guard let value = Double(text), abs(value) <= 1e9 else {
            throw FilterPolicyError("Value must be between -1.0E9 and 1.0E9, inclusive")
        }
        if let dot = text.firstIndex(of: "."), !text.contains("e"), !text.contains("E"), text[text.index(after: dot)...].count > 5 {
            throw FilterPolicyError("Value must have at most 5 decimal places")
        }
    }

    static func numeric(_ json: JSONText) throws(FilterPolicyError) -> [FilterRule.NumericBound] {
        guard case .array(let items) = json, !items.isEmpty, items.count % 2 == 0, items.count <= 4 else {
            throw FilterPolicyError("Value of numeric must be an array.")
        }
        var bounds: [FilterRule.NumericBound] = []
        for i in stride(from: 0, to: items.count, by: 2) {
            guard case .string(let op) = items[i], let comparison = FilterRule.NumericBound.Comparison(rawValue: op) else {
                throw FilterPolicyError("Unrecognized numeric range operator: \(items[i])")
            }
            guard case .number(let text) = items[i + 1], let bound = Double(text) else {
                throw FilterPolicyError("Value of \(op) must be numeric")
            }
            try checkNumber(text)
            bounds.append(.init(comparison: comparison, bound: bound))
        }
        if bounds.count == 2 {
            let lower: Set<FilterRule.NumericBound.Comparison> = [.greater, .greaterOrEqual]
            let upper: Set<FilterRule.NumericBound.Comparison> = [.less, .lessOrEqual]
            guard lower.contains(bounds[0].comparison), upper.contains(bounds[1].comparison) else {
                throw FilterPolicyError("Too many elements in numeric expression")
            }
            guard bounds[0].bound < bounds[1].bound else {
                throw FilterPolicyError("Bottom must be less than top")
            }
        } else if bounds.count > 2 {
            throw FilterPolicyError("Too many elements in numeric expression")
        }
        return bounds
    }

    static func anythingBut(_ json: JSONText) throws(FilterPolicyError) -> FilterRule.AnythingBut {
        switch json {
        case .string, .number:
            if case .number(let text) = json { try checkNumber(text) }
            return .values([value(json)!])
        case .array(let items):
            var values: [FilterValue] = []
            for item in items {
                switch item {
                case .string(let s): values.append(.string(s))
                case .number(let n):
                    try checkNumber(n)
                    values.append(.number(Double(n)!))
                default: throw FilterPolicyError("Inside anything but list, start|null|boolean is not supported.")
                }
            }
            guard !values.isEmpty else { throw FilterPolicyError("Empty arrays are not allowed") }
            return .values(values)
        case .object(let fields):
            guard fields.count == 1, let (op, argument) = fields.first else {
                throw FilterPolicyError("Only one key allowed in match expression")
            }
            var strings: [String] = []
            switch argument {
            case .string(let s): strings = [s]
            case .array(let items):
                for item in items {
                    guard case .string(let s) = item else { throw FilterPolicyError("Value of \(op) inside anything-but must be a string") }
                    strings.append(s)
                }
            default: throw FilterPolicyError("Value of \(op) inside anything-but must be a string or an array of strings")
            }
            guard !strings.isEmpty else { throw FilterPolicyError("Empty arrays are not allowed") }
            if op != "equals-ignore-case", strings.contains(where: \.isEmpty) {
                throw FilterPolicyError("Null prefix/suffix not allowed")
            }
            switch op {
            case "prefix": return .prefixes(strings)
            case "suffix": return .suffixes(strings)
            case "equals-ignore-case": return .equalsIgnoreCase(strings)
            default: throw FilterPolicyError("Unsupported anything-but pattern: \(op)")
            }
        default:
            throw FilterPolicyError("Value of anything-but must be an array or single string/number value.")
        }
    }

    /// Distinct keys with value lists (nested keys by path).
    static func leafKeys(_ node: Node, path: String) -> Set<String> {
        switch node {
        case .values: return [path]
        case .object(let fields, let alternatives):
            var keys = Set<String>()
            for field in fields { keys.formUnion(leafKeys(field.node, path: path.isEmpty ? field.key : path + "." + field.key)) }
            for options in alternatives { for option in options { keys.formUnion(leafKeys(option, path: path)) } }
            return keys
        }
    }

    /// AWS's complexity measure: the product of the value lists' lengths (alternatives of `$or` add up).
    static func combinations(_ node: Node) -> Int {
        switch node {
        case .values(let rules): return rules.count
        case .object(let fields, let alternatives):
            var total = 1
            for field in fields { total = min(total * combinations(field.node), 1_000_000) }
            for options in alternatives { total = min(total * options.reduce(0) { $0 + combinations($1) }, 1_000_000) }
            return total
        }
    }

    // MARK: Matching

    /// Whether a message with these attributes passes (scope `MessageAttributes`). Binary attributes are not matched.
    public func matches(attributes: [String: DeliveryAttribute]) -> Bool {
        Self.matchAttributes(root, attributes)
    }

    static func matchAttributes(_ node: Node, _ attributes: [String: DeliveryAttribute]) -> Bool {
        guard case .object(let fields, let alternatives) = node else { return false }
        for field in fields {
            guard case .values(let rules) = field.node else { return false }
            if !matchLeaves(rules, attributes[field.key].flatMap(values(of:)) ?? []) { return false }
        }
        return alternatives.allSatisfy { options in options.contains { matchAttributes($0, attributes) } }
    }

    /// An attribute's values as filters see them: a String, a Number, each element of a String.Array.
    static func values(of attribute: DeliveryAttribute) -> [FilterValue]? {
        guard let text = attribute.stringValue else { return nil }
        if attribute.dataType.hasPrefix("Number") { return Double(text).map { [.number($0)] } ?? [] }
        if attribute.dataType.hasPrefix("String.Array") {
            guard case .array(let items)? = JSONText(parsing: Array(text.utf8)) else { return [.string(text)] }
            return items.compactMap { value($0) }
        }
        if attribute.dataType.hasPrefix("String") { return [.string(text)] }
        return nil
    }

    /// Whether a JSON body passes (scope `MessageBody`); a body that is not a JSON object matches nothing.
    public func matches(body: String) -> Bool {
        guard let json = JSONText(parsing: Array(body.utf8)), case .object = json else { return false }
        return Self.matchBody(root, json)
    }

    static func matchBody(_ node: Node, _ json: JSONText?) -> Bool {
        switch node {
        case .object(let fields, let alternatives):
            if case .array(let items)? = json, !items.isEmpty { return items.contains { matchBody(node, $0) } }
            var object: [String: JSONText] = [:]
            if case .object(let pairs)? = json { for pair in pairs { object[pair.key] = pair.value } }
            for field in fields where !matchBody(field.node, object[field.key]) { return false }
            return alternatives.allSatisfy { options in options.contains { matchBody($0, json) } }
        case .values(let rules):
            let leaves: [FilterValue]
            switch json {
            case .none, .object?: leaves = []
            case .array(let items)?: leaves = items.compactMap { value($0) }
            case let item?: leaves = value(item).map { [$0] } ?? []
            }
            return matchLeaves(rules, leaves)
        }
    }

    static func matchLeaves(_ rules: [FilterRule], _ leaves: [FilterValue]) -> Bool {
        guard !leaves.isEmpty else { return rules.contains(.exists(false)) }
        return rules.contains { rule in
            if case .exists(let present) = rule { return present }
            return leaves.contains { rule.admits($0) }
        }
    }
}
