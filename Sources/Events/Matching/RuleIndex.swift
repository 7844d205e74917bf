import EventPatterns

/// The enabled pattern rules of one bus, indexed so an event is matched only against the rules that can match
/// it: a rule whose pattern asks exact `source` values sits under each of them, else one asking exact
/// `detail-type` values under those, else in the list every event is tried against. Immutable; rebuilt when a
/// rule of the bus changes.
public final class RuleIndex: Sendable {
    let bySource: [String: [CompiledRule]]
    let byDetailType: [String: [CompiledRule]]
    let unindexed: [CompiledRule]
    public let count: Int

    public init(_ rules: [CompiledRule]) {
        var bySource: [String: [CompiledRule]] = [:]
        var byDetailType: [String: [CompiledRule]] = [:]
        var unindexed: [CompiledRule] = []
        var count = 0
        for rule in rules where rule.rule.state.isEnabled && rule.pattern != nil {
            count += 1
            guard let pattern = rule.pattern else { continue }
            if let sources = pattern.exactStrings(at: "source") {
                for source in Set(sources) { bySource[source, default: []].append(rule) }
            } else if let types = pattern.exactStrings(at: "detail-type") {
                for type in Set(types) { byDetailType[type, default: []].append(rule) }
            } else {
                unindexed.append(rule)
            }
        }
        self.bySource = bySource
        self.byDetailType = byDetailType
        self.unindexed = unindexed
        self.count = count
    }

    public static let empty = RuleIndex([])

    /// The enabled rules whose pattern matches the event.
    public func matches(_ event: EventJSON) -> [CompiledRule] {
        var matched: [CompiledRule] = []
        if let source = event["source"]?.stringValue, let rules = bySource[source] {
            for rule in rules where rule.pattern?.matches(event) == true { matched.append(rule) }
        }
        if let type = event["detail-type"]?.stringValue, let rules = byDetailType[type] {
            for rule in rules where rule.pattern?.matches(event) == true { matched.append(rule) }
        }
        for rule in unindexed where rule.pattern?.matches(event) == true { matched.append(rule) }
        return matched
    }
}
