/// The ARNs of EventBridge resources: `event-bus/<name>`, `rule/<name>` on the default bus and
/// `rule/<bus>/<name>` on others.
public struct EventARNs: Sendable {
    public let region: String
    public let accountId: String

    public init(region: String, accountId: String) {
        self.region = region
        self.accountId = accountId
    }

    var prefix: String { "arn:aws:events:\(region):\(accountId):" }

    public func bus(_ name: String) -> String { prefix + "event-bus/" + name }

    public func archive(_ name: String) -> String { prefix + "archive/" + name }

    public func replay(_ name: String) -> String { prefix + "replay/" + name }

    /// The archive an ARN names, nil for another account's, region's or resource's.
    public func archiveName(_ arn: String) -> String? {
        arn.hasPrefix(prefix + "archive/") ? String(arn.dropFirst(prefix.count + "archive/".count)) : nil
    }

    public func rule(_ key: RuleKey) -> String {
        key.bus == EventBus.defaultName ? prefix + "rule/" + key.name : prefix + "rule/" + key.bus + "/" + key.name
    }

    /// A bus named or given by ARN (`EventBusName` members take both); nil for an ARN of another account or region.
    public func busName(_ nameOrArn: String?) -> String? {
        guard let value = nameOrArn, !value.isEmpty else { return EventBus.defaultName }
        guard value.hasPrefix("arn:") else { return value }
        guard value.hasPrefix(prefix + "event-bus/") else { return nil }
        return String(value.dropFirst(prefix.count + "event-bus/".count))
    }

    /// What an ARN given to TagResource names: a bus or a rule.
    public enum Resource: Sendable, Equatable {
        case bus(String)
        case rule(RuleKey)
    }

    public func resource(_ arn: String) -> Resource? {
        guard arn.hasPrefix(prefix) else { return nil }
        let rest = arn.dropFirst(prefix.count)
        if rest.hasPrefix("event-bus/") { return .bus(String(rest.dropFirst("event-bus/".count))) }
        guard rest.hasPrefix("rule/") else { return nil }
        let path = rest.dropFirst("rule/".count)
        guard let slash = path.lastIndex(of: "/") else { return .rule(RuleKey(bus: EventBus.defaultName, name: String(path))) }
        return .rule(RuleKey(bus: String(path[..<slash]), name: String(path[path.index(after: slash)...])))
    }
}
