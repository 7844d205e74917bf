/// An archive of a bus: the events put on the bus that match its pattern (all when it has none) are kept for
/// `retentionDays` (0: indefinitely) and can be replayed.
public struct EventArchive: Sendable, Codable, Equatable {
    public var name: String
    public var busName: String
    public var description: String?
    public var eventPattern: String?
    public var retentionDays: Int
    /// Seconds since 1970.
    public var creationTime: Double

    public init(name: String, busName: String, description: String?, eventPattern: String?, retentionDays: Int, creationTime: Double) {
        self.name = name
        self.busName = busName
        self.description = description
        self.eventPattern = eventPattern
        self.retentionDays = retentionDays
        self.creationTime = creationTime
    }
}

/// One archived event: its text as it was put on the bus and when EventBridge received it.
public struct ArchivedEvent: Sendable, Equatable {
    public var seq: Int64
    public var receivedAt: Int64
    public var text: String

    public init(seq: Int64, receivedAt: Int64, text: String) {
        self.seq = seq
        self.receivedAt = receivedAt
        self.text = text
    }
}
