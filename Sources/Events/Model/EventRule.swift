/// A rule on a bus: an event pattern (matched against every event put on the bus) or a schedule (fired by the
/// timer engine), the targets it sends to, and whether it is enabled.
public struct EventRule: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case enabled = "ENABLED"
        case disabled = "DISABLED"
        /// Matches events only from AWS services' CloudTrail; on this platform the same as ENABLED.
        case enabledWithAllCloudTrailManagementEvents = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"

        public var isEnabled: Bool { self != .disabled }
    }

    public var busName: String
    public var name: String
    public var eventPattern: String?
    public var scheduleExpression: String?
    public var state: State
    public var description: String?
    public var roleArn: String?
    public var managedBy: String?
    public var tags: [String: String]
    public var targets: [EventTarget]

    public init(busName: String, name: String, eventPattern: String? = nil, scheduleExpression: String? = nil,
                state: State = .enabled, description: String? = nil, roleArn: String? = nil, managedBy: String? = nil,
                tags: [String: String] = [:], targets: [EventTarget] = []) {
        self.busName = busName
        self.name = name
        self.eventPattern = eventPattern
        self.scheduleExpression = scheduleExpression
        self.state = state
        self.description = description
        self.roleArn = roleArn
        self.managedBy = managedBy
        self.tags = tags
        self.targets = targets
    }

    /// Rules are named per bus.
    public var key: RuleKey { RuleKey(bus: busName, name: name) }
}

/// A rule's identity: its bus and its name.
public struct RuleKey: Sendable, Hashable, Codable {
    public var bus: String
    public var name: String

    public init(bus: String, name: String) {
        self.bus = bus
        self.name = name
    }
}
