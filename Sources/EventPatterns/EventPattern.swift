/// An event pattern as Lambda's event filtering and EventBridge rules write it: a JSON object whose keys name
/// fields of the event; a nested object matches the field's object, a list is the values (or comparisons) the
/// field may have; `$or` takes a list of patterns of which one must match. Every key of a pattern must match.
public struct EventPattern: Sendable, Equatable {
    indirect enum Node: Sendable, Equatable {
        /// All fields must match, and one of each `$or` list.
        case object(fields: [String: Node], alternatives: [[Node]])
        /// The field's value (or one element of it, for an array) passes one rule.
        case values([ValueRule])
    }

    let root: Node

    /// Parses the pattern's JSON text; the error says what is wrong with it.
    public init(parsing text: String) throws(EventPatternError) {
        guard let json = EventJSON(parsing: Array(text.utf8)) else { throw EventPatternError("the pattern is not JSON") }
        guard case .object(let object) = json else { throw EventPatternError("a pattern must be a JSON object") }
        root = try Self.node(object, path: "")
    }

    public func matches(_ event: EventJSON) -> Bool {
        Self.match(root, event)
    }

    /// What the pattern asks of a top-level field: a nested pattern (`true`), a list of values (`false`), or nothing.
    public func expectsObject(at field: String) -> Bool? {
        guard case .object(let fields, _) = root, let node = fields[field] else { return nil }
        if case .object = node { return true }
        return false
    }

    // MARK: Parsing

    static func node(_ object: [String: EventJSON], path: String) throws(EventPatternError) -> Node {
        guard !object.isEmpty else { throw EventPatternError("Empty objects are not allowed\(path.isEmpty ? "" : " at \"\(path)\"")") }
        var fields: [String: Node] = [:]
        var alternatives: [[Node]] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let here = path.isEmpty ? key : path + "." + key
            if key == "$or" {
                guard case .array(let options) = value, options.count >= 2 else {
                    throw EventPatternError("\"$or\" must be a list of at least two patterns")
                }
                var nodes: [Node] = []
                for option in options {
                    guard case .object(let o) = option else { throw EventPatternError("each pattern in \"$or\" must be an object") }
                    nodes.append(try node(o, path: path))
                }
                alternatives.append(nodes)
                continue
            }
            switch value {
            case .object(let nested): fields[key] = try node(nested, path: here)
            case .array(let rules):
                guard !rules.isEmpty else { throw EventPatternError("Empty arrays are not allowed at \"\(here)\"") }
                var parsed: [ValueRule] = []
                for rule in rules { parsed.append(try self.rule(rule, path: here)) }
                fields[key] = .values(parsed)
            default:
                throw EventPatternError("\"\(here)\" must be an object or an array")
            }
        }
        return .object(fields: fields, alternatives: alternatives)
    }

    static func rule(_ value: EventJSON, path: String) throws(EventPatternError) -> ValueRule {
        switch value {
        case .string, .number, .null, .bool: return .equals(value)
        case .array: throw EventPatternError("Match value at \"\(path)\" must be a string, a number, a boolean, null or an object; not an array")
        case .object(let o):
            guard o.count == 1, let (op, argument) = o.first else {
                throw EventPatternError("A match object at \"\(path)\" holds exactly one match type, not \(o.count)")
            }
            switch op {
            case "prefix", "suffix":
                let folding: Bool
                let text: String
                switch argument {
                case .string(let s): (text, folding) = (s, false)
                case .object(let inner) where inner.count == 1:
                    guard case .string(let s)? = inner["equals-ignore-case"] else {
                        throw EventPatternError("Unsupported \(op) pattern at \"\(path)\": only equals-ignore-case may nest inside \(op)")
                    }
                    (text, folding) = (s, true)
                default: throw EventPatternError("\(op) match pattern must be a string at \"\(path)\"")
                }
                return op == "prefix" ? .prefix(text, ignoringCase: folding) : .suffix(text, ignoringCase: folding)
            case "equals-ignore-case": return .equalsIgnoringCase(try string(argument, op, path))
            case "wildcard": return .wildcard(try WildcardPattern(parsing: try string(argument, op, path)))
            case "cidr": return .cidr(try CIDRBlock(parsing: try string(argument, op, path)))
            case "exists":
                guard case .bool(let b) = argument else { throw EventPatternError("exists match pattern must be either true or false at \"\(path)\"") }
                return .exists(b)
            case "numeric": return .numeric(try numeric(argument, path))
            case "anything-but": return .anythingBut(try anythingBut(argument, path))
            default: throw EventPatternError("Unrecognized match type \(op) at \"\(path)\"")
            }
        }
    }

    static func string(_ value: EventJSON, _ op: String, _ path: String) throws(EventPatternError) -> String {
        guard case .string(let s) = value else { throw EventPatternError("\(op) match pattern must be a string at \"\(path)\"") }
        return s
    }

    /// A string or a non-empty list of strings (`anything-but`'s `equals-ignore-case` and `wildcard` take both).
    static func strings(_ value: EventJSON, _ op: String, _ path: String) throws(EventPatternError) -> [String] {
        switch value {
        case .string(let s): return [s]
        case .array(let items) where !items.isEmpty:
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw EventPatternError("Inside anything-but/\(op) list, only strings are allowed at \"\(path)\"") }
                out.append(s)
            }
            return out
        default: throw EventPatternError("Inside anything-but, \(op) takes a string or a list of strings at \"\(path)\"")
        }
    }

    /// AWS compares numbers between -5.0e9 and 5.0e9 (15 significant digits).
    static let numericLimit = 5.0e9

    static func numeric(_ value: EventJSON, _ path: String) throws(EventPatternError) -> [ValueRule.NumericBound] {
        guard case .array(let items) = value, !items.isEmpty, items.count % 2 == 0, items.count <= 4 else {
            throw EventPatternError("Value of numeric match at \"\(path)\" must be an array of one or two comparisons such as [\">\", 0, \"<=\", 5]")
        }
        var bounds: [ValueRule.NumericBound] = []
        for i in stride(from: 0, to: items.count, by: 2) {
            guard case .string(let op) = items[i], let comparison = ValueRule.NumericBound.Comparison(rawValue: op) else {
                throw EventPatternError("Unrecognized numeric range operator at \"\(path)\"")
            }
            guard let bound = items[i + 1].numberValue else {
                throw EventPatternError("Value of \(op) must be numeric at \"\(path)\"")
            }
            guard abs(bound) <= numericLimit else {
                throw EventPatternError("Value of \(op) at \"\(path)\" must be between -5.0E9 and 5.0E9 inclusive")
            }
            bounds.append(.init(comparison: comparison, bound: bound))
        }
        if bounds.count == 2 {
            let lower: Set<ValueRule.NumericBound.Comparison> = [.greater, .greaterOrEqual]
            let upper: Set<ValueRule.NumericBound.Comparison> = [.less, .lessOrEqual]
            guard lower.contains(bounds[0].comparison) && upper.contains(bounds[1].comparison) else {
                throw EventPatternError("Bad numeric range operator at \"\(path)\": a range is a lower bound (> or >=) then an upper bound (< or <=)")
            }
            guard bounds[0].bound < bounds[1].bound else {
                throw EventPatternError("Bottom must be less than top at \"\(path)\"")
            }
        }
        return bounds
    }

    static func anythingBut(_ value: EventJSON, _ path: String) throws(EventPatternError) -> ValueRule.AnythingBut {
        switch value {
        case .string, .number: return .values([value])
        case .array(let items):
            let allStrings = items.allSatisfy { if case .string = $0 { true } else { false } }
            let allNumbers = items.allSatisfy { if case .number = $0 { true } else { false } }
            guard !items.isEmpty, allStrings || allNumbers else {
                throw EventPatternError("Inside anything-but list at \"\(path)\", only strings or only numbers are allowed")
            }
            return .values(items)
        case .object(let o):
            guard o.count == 1, let (op, argument) = o.first else {
                throw EventPatternError("Inside anything-but at \"\(path)\", exactly one of prefix, suffix, equals-ignore-case or wildcard is allowed")
            }
            switch op {
            case "prefix": return .prefixes(try strings(argument, op, path))
            case "suffix": return .suffixes(try strings(argument, op, path))
            case "equals-ignore-case": return .equalsIgnoringCase(try strings(argument, op, path))
            case "wildcard":
                var patterns: [WildcardPattern] = []
                for text in try strings(argument, op, path) { patterns.append(try WildcardPattern(parsing: text)) }
                return .wildcards(patterns)
            default: throw EventPatternError("Unsupported anything-but pattern: \(op) at \"\(path)\"")
            }
        default:
            throw EventPatternError("Value of anything-but at \"\(path)\" must be an array, a string, a number or an object")
        }
    }

    // MARK: Indexing

    /// Every field (as its path of names) for which the pattern asks only exact strings, outside `$or`, in path
    /// order: an index may file the pattern under any one of them, since an event matches only with one of those
    /// strings there (or, for an array, in one of its elements).
    public var exactStringFields: [(path: [String], values: [String])] {
        var out: [(path: [String], values: [String])] = []
        func walk(_ node: Node, _ path: [String]) {
            guard case .object(let fields, _) = node else { return }
            for (key, child) in fields.sorted(by: { $0.key < $1.key }) {
                switch child {
                case .object: walk(child, path + [key])
                case .values(let rules):
                    var values: [String] = []
                    for rule in rules {
                        guard case .equals(.string(let s)) = rule else { values = []; break }
                        values.append(s)
                    }
                    if !values.isEmpty { out.append((path + [key], values)) }
                }
            }
        }
        walk(root, [])
        return out
    }

    /// The strings a top-level field must equal when the pattern asks only exact strings of it (`"source":
    /// ["shop", "crm"]`), so rules can be indexed by them; nil when the field is unconstrained or compared otherwise.
    public func exactStrings(at field: String) -> [String]? {
        guard case .object(let fields, _) = root, case .values(let rules)? = fields[field] else { return nil }
        var out: [String] = []
        for rule in rules {
            guard case .equals(.string(let s)) = rule else { return nil }
            out.append(s)
        }
        return out
    }

    // MARK: Matching

    /// Matches as the flattened paths of the event would: a field under a missing or scalar parent is absent (so
    /// `exists: false` holds there), and a nested pattern over an array needs one element to match.
    static func match(_ node: Node, _ event: EventJSON?) -> Bool {
        switch node {
        case .object(let fields, let alternatives):
            if case .array(let items)? = event, !items.isEmpty { return items.contains { match(node, $0) } }
            let object: [String: EventJSON] = if case .object(let o)? = event { o } else { [:] }
            for (key, child) in fields where !match(child, object[key]) { return false }
            return alternatives.allSatisfy { options in options.contains { match($0, event) } }
        case .values(let rules):
            // Only leaves are values: objects (also inside an array) are not, and an array without leaves is absent.
            let leaves: [EventJSON]
            switch event {
            case .none, .object?: leaves = []
            case .array(let items)?: leaves = items.filter { if case .object = $0 { false } else if case .array = $0 { false } else { true } }
            case let value?: leaves = [value]
            }
            guard !leaves.isEmpty else { return rules.contains(.exists(false)) }
            return rules.contains { rule in
                if case .exists(let present) = rule { return present }
                return leaves.contains { rule.admits($0) }
            }
        }
    }
}
