import EventPatterns

/// The enabled pattern rules of one bus, indexed so an event is tried only against the rules that can match it.
/// A rule that asks exact strings of some field is filed under those strings at that field — `source` when it
/// constrains it, else `detail-type`, else the first such field (`detail.kind`, …) — and an event looks up its own
/// values at each filed field; rules with no exact-string field are tried against every event. Immutable; rebuilt
/// when a rule of the bus changes.
public final class RuleIndex: Sendable {
    /// Per filed field: its path, and the rules by the strings they ask there.
    let fields: [(path: [String], rules: [String: [Int]])]
    let unindexed: [Int]
    let rules: [CompiledRule]

    public var count: Int { rules.count }

    public init(_ all: [CompiledRule]) {
        let rules = all.filter { $0.rule.state.isEnabled && $0.pattern != nil }.sorted { $0.rule.name < $1.rule.name }
        var byPath: [[String]: [String: [Int]]] = [:]
        var unindexed: [Int] = []
        for (position, rule) in rules.enumerated() {
            let candidates = rule.pattern?.exactStringFields ?? []
            let chosen = candidates.first { $0.path == ["source"] } ?? candidates.first { $0.path == ["detail-type"] } ?? candidates.first
            guard let chosen else {
                unindexed.append(position)
                continue
            }
            for value in Set(chosen.values) { byPath[chosen.path, default: [:]][value, default: []].append(position) }
        }
        self.rules = rules
        self.fields = byPath.sorted { $0.key.joined(separator: ".") < $1.key.joined(separator: ".") }.map { ($0.key, $0.value) }
        self.unindexed = unindexed
    }

    public static let empty = RuleIndex([])

    /// The enabled rules whose pattern matches the event, in name order.
    public func matches(_ event: EventJSON) -> [CompiledRule] {
        var candidates = Set(unindexed)
        for field in fields {
            for value in Self.strings(at: field.path[...], in: event) {
                if let positions = field.rules[value] { candidates.formUnion(positions) }
            }
        }
        return candidates.sorted().compactMap { position in
            let rule = rules[position]
            return rule.pattern?.matches(event) == true ? rule : nil
        }
    }

    /// The strings an event holds at a path, looking into arrays as patterns do.
    static func strings(at path: ArraySlice<String>, in value: EventJSON) -> [String] {
        if case .array(let items) = value { return items.flatMap { strings(at: path, in: $0) } }
        guard let first = path.first else {
            if case .string(let s) = value { return [s] }
            return []
        }
        guard let child = value[first] else { return [] }
        return strings(at: path.dropFirst(), in: child)
    }
}
