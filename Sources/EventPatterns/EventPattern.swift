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
        guard !object.isEmpty else { throw EventPatternError("\(path.isEmpty ? "the pattern" : path) is an empty object") }
        var fields: [String: Node] = [:]
        var alternatives: [[Node]] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let here = path.isEmpty ? key : path + "." + key
            if key == "$or" {
                guard case .array(let options) = value, options.count >= 2 else {
                    throw EventPatternError("\(here) must be a list of at least two patterns")
                }
                var nodes: [Node] = []
                for option in options {
                    guard case .object(let o) = option else { throw EventPatternError("each pattern in \(here) must be an object") }
                    nodes.append(try node(o, path: here))
                }
                alternatives.append(nodes)
                continue
            }
            switch value {
            case .object(let nested): fields[key] = try node(nested, path: here)
            case .array(let rules):
                guard !rules.isEmpty else { throw EventPatternError("\(here) has an empty list of values") }
                var parsed: [ValueRule] = []
                for rule in rules { parsed.append(try self.rule(rule, path: here)) }
                fields[key] = .values(parsed)
            default:
                throw EventPatternError("\(here) must be an object or a list of values")
            }
        }
        return .object(fields: fields, alternatives: alternatives)
    }

    static func rule(_ value: EventJSON, path: String) throws(EventPatternError) -> ValueRule {
        switch value {
        case .string, .number, .null, .bool: return .equals(value)
        case .array: throw EventPatternError("\(path) holds a list inside its list of values")
        case .object(let o):
            guard o.count == 1, let (op, argument) = o.first else {
                throw EventPatternError("\(path) has a comparison object with other than one operator")
            }
            switch op {
            case "prefix": return .prefix(try string(argument, op, path))
            case "suffix": return .suffix(try string(argument, op, path))
            case "equals-ignore-case": return .equalsIgnoringCase(try string(argument, op, path))
            case "exists":
                guard case .bool(let b) = argument else { throw EventPatternError("\(path): exists takes true or false") }
                return .exists(b)
            case "numeric": return .numeric(try numeric(argument, path))
            case "anything-but": return .anythingBut(try anythingBut(argument, path))
            default: throw EventPatternError("\(path): unknown operator \(op)")
            }
        }
    }

    static func string(_ value: EventJSON, _ op: String, _ path: String) throws(EventPatternError) -> String {
        guard case .string(let s) = value else { throw EventPatternError("\(path): \(op) takes a string") }
        return s
    }

    static func numeric(_ value: EventJSON, _ path: String) throws(EventPatternError) -> [ValueRule.NumericBound] {
        guard case .array(let items) = value, !items.isEmpty, items.count % 2 == 0, items.count <= 4 else {
            throw EventPatternError("\(path): numeric takes one or two comparisons such as [\">\", 0, \"<=\", 5]")
        }
        var bounds: [ValueRule.NumericBound] = []
        for i in stride(from: 0, to: items.count, by: 2) {
            guard case .string(let op) = items[i], let comparison = ValueRule.NumericBound.Comparison(rawValue: op),
                  let bound = items[i + 1].numberValue else {
                throw EventPatternError("\(path): numeric takes one or two comparisons such as [\">\", 0, \"<=\", 5]")
            }
            bounds.append(.init(comparison: comparison, bound: bound))
        }
        if bounds.count == 2 {
            let lower: Set<ValueRule.NumericBound.Comparison> = [.greater, .greaterOrEqual]
            let upper: Set<ValueRule.NumericBound.Comparison> = [.less, .lessOrEqual]
            guard lower.contains(bounds[0].comparison) && upper.contains(bounds[1].comparison) && bounds[0].bound < bounds[1].bound else {
                throw EventPatternError("\(path): a numeric range is a lower bound then a greater upper bound")
            }
        }
        return bounds
    }

    static func anythingBut(_ value: EventJSON, _ path: String) throws(EventPatternError) -> ValueRule.AnythingBut {
        switch value {
        case .string, .number: return .values([value])
        case .array(let items):
            guard !items.isEmpty, items.allSatisfy({ if case .string = $0 { true } else if case .number = $0 { true } else { false } }) else {
                throw EventPatternError("\(path): anything-but takes a list of strings or numbers")
            }
            return .values(items)
        case .object(let o):
            guard o.count == 1, let (op, argument) = o.first, case .string(let s) = argument else {
                throw EventPatternError("\(path): anything-but takes a value, a list, or a prefix or suffix object")
            }
            switch op {
            case "prefix": return .prefix(s)
            case "suffix": return .suffix(s)
            default: throw EventPatternError("\(path): anything-but does not take \(op)")
            }
        default:
            throw EventPatternError("\(path): anything-but takes a value, a list, or a prefix or suffix object")
        }
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
