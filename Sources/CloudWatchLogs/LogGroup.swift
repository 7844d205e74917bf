/// A log group as CloudWatch Logs describes it.
public struct LogGroup: Sendable, Equatable {
    public var name: String
    /// Epoch milliseconds.
    public var creationTime: Int64
    /// Days events are kept; nil keeps them forever (AWS's default).
    public var retentionInDays: Int?
    public var tags: [String: String]
    /// Bytes of the group's stored messages.
    public var storedBytes: Int64

    public init(name: String, creationTime: Int64, retentionInDays: Int? = nil, tags: [String: String] = [:], storedBytes: Int64 = 0) {
        self.name = name
        self.creationTime = creationTime
        self.retentionInDays = retentionInDays
        self.tags = tags
        self.storedBytes = storedBytes
    }
}

/// A log stream of a group.
public struct LogStream: Sendable, Equatable {
    public var group: String
    public var name: String
    public var creationTime: Int64
    public var firstEventTimestamp: Int64?
    public var lastEventTimestamp: Int64?
    public var lastIngestionTime: Int64?
    public var storedBytes: Int64
    /// Advances with every accepted PutLogEvents batch (AWS no longer checks the token, but still returns one).
    public var sequence: Int64

    public init(group: String, name: String, creationTime: Int64, firstEventTimestamp: Int64? = nil, lastEventTimestamp: Int64? = nil,
                lastIngestionTime: Int64? = nil, storedBytes: Int64 = 0, sequence: Int64 = 0) {
        self.group = group
        self.name = name
        self.creationTime = creationTime
        self.firstEventTimestamp = firstEventTimestamp
        self.lastEventTimestamp = lastEventTimestamp
        self.lastIngestionTime = lastIngestionTime
        self.storedBytes = storedBytes
        self.sequence = sequence
    }

    /// `uploadSequenceToken`/`nextSequenceToken`: 56 digits, as AWS's tokens look.
    public var uploadSequenceToken: String {
        let digits = String(sequence)
        return "4" + String(repeating: "0", count: max(0, 55 - digits.count)) + digits
    }
}

/// One stored event, as GetLogEvents and FilterLogEvents return it.
public struct StoredLogEvent: Sendable, Equatable {
    /// The store's row id: the event's place among events of the same millisecond, and its `eventId`.
    public var id: Int64
    public var stream: String
    public var timestamp: Int64
    public var ingestionTime: Int64
    public var message: String

    public init(id: Int64, stream: String, timestamp: Int64, ingestionTime: Int64, message: String) {
        self.id = id
        self.stream = stream
        self.timestamp = timestamp
        self.ingestionTime = ingestionTime
        self.message = message
    }

    /// The place of this event in time order.
    public var position: EventPosition { EventPosition(timestamp: timestamp, id: id) }
}

/// An event's place in a stream's or group's time order: timestamp, then the order of arrival.
public struct EventPosition: Sendable, Equatable, Comparable, Hashable {
    public var timestamp: Int64
    public var id: Int64

    public init(timestamp: Int64, id: Int64) {
        self.timestamp = timestamp
        self.id = id
    }

    public static func < (a: EventPosition, b: EventPosition) -> Bool {
        (a.timestamp, a.id) < (b.timestamp, b.id)
    }

    /// Before every event.
    public static let start = EventPosition(timestamp: Int64.min, id: Int64.min)
    /// After every event.
    public static let end = EventPosition(timestamp: Int64.max, id: Int64.max)
}
