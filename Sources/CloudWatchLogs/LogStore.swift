/// How DescribeLogStreams orders streams.
public enum LogStreamOrder: String, Sendable {
    case logStreamName = "LogStreamName"
    case lastEventTime = "LastEventTime"
}

/// One page of DescribeLogStreams from the store.
public struct LogStreamQuery: Sendable, Equatable {
    public var prefix: String?
    public var order: LogStreamOrder
    public var descending: Bool
    /// Continue after this stream (by name, or by last event time then name).
    public var afterName: String?
    public var afterTime: Int64?
    public var limit: Int

    public init(prefix: String? = nil, order: LogStreamOrder = .logStreamName, descending: Bool = false,
                afterName: String? = nil, afterTime: Int64? = nil, limit: Int = 50) {
        self.prefix = prefix
        self.order = order
        self.descending = descending
        self.afterName = afterName
        self.afterTime = afterTime
        self.limit = limit
    }
}

/// Events of one stream in time order, from one side of a place.
public struct StreamEventQuery: Sendable, Equatable {
    public var group: String
    public var stream: String
    public var startTime: Int64?
    /// Exclusive, as GetLogEvents reads it.
    public var endTime: Int64?
    /// Ascending after `position`, or descending before it.
    public var ascending: Bool
    public var position: EventPosition
    public var limit: Int

    public init(group: String, stream: String, startTime: Int64?, endTime: Int64?, ascending: Bool, position: EventPosition, limit: Int) {
        self.group = group
        self.stream = stream
        self.startTime = startTime
        self.endTime = endTime
        self.ascending = ascending
        self.position = position
        self.limit = limit
    }
}

/// Candidate events of a group for FilterLogEvents, in time order after a place: all of them or those the full-text
/// index finds for `indexQuery`. The matcher decides; the store only narrows.
public struct GroupEventScan: Sendable, Equatable {
    public var group: String
    /// Only these streams (nil: every stream).
    public var streams: [String]?
    public var streamPrefix: String?
    public var startTime: Int64?
    /// Exclusive.
    public var endTime: Int64?
    public var after: EventPosition
    /// Texts that must appear (a disjunction of conjunctions), used to narrow through the index.
    public var requiredTexts: [[String]]?
    public var limit: Int

    public init(group: String, streams: [String]? = nil, streamPrefix: String? = nil, startTime: Int64? = nil, endTime: Int64? = nil,
                after: EventPosition = .start, requiredTexts: [[String]]? = nil, limit: Int) {
        self.group = group
        self.streams = streams
        self.streamPrefix = streamPrefix
        self.startTime = startTime
        self.endTime = endTime
        self.after = after
        self.requiredTexts = requiredTexts
        self.limit = limit
    }
}

/// Where CloudWatch Logs' groups, streams and events live (implemented by the server's store). Methods that name a
/// group or stream that does not exist throw `LogsError.logGroupNotFound` / `.logStreamNotFound`.
public protocol LogStore: Sendable {
    /// Throws `.logGroupAlreadyExists`.
    func createLogGroup(_ group: LogGroup) async throws
    func logGroup(named name: String) async throws -> LogGroup?
    /// Deletes the group and its streams now; its events are purged in the background (`purgeDeletedLogs`).
    func deleteLogGroup(named name: String) async throws
    /// Groups by name: those starting with `prefix`, or containing `pattern` (case-insensitive), after `afterName`.
    func logGroups(prefix: String?, pattern: String?, afterName: String?, limit: Int) async throws -> [LogGroup]
    func setRetention(group: String, days: Int?) async throws
    func updateTags(group: String, set: [String: String], remove: [String]) async throws

    /// Throws `.logStreamAlreadyExists`.
    func createLogStream(group: String, name: String, creationTime: Int64) async throws
    func deleteLogStream(group: String, name: String) async throws
    func logStream(group: String, name: String) async throws -> LogStream
    func logStreams(group: String, query: LogStreamQuery) async throws -> [LogStream]

    /// Stores the events in order and returns the stream as updated. One transaction.
    func putLogEvents(group: String, stream: String, events: [IncomingLogEvent], ingestionTime: Int64) async throws -> LogStream
    func streamEvents(_ query: StreamEventQuery) async throws -> [StoredLogEvent]
    /// Candidates in time order; fewer than `limit` means the scan reached the end.
    func groupEvents(_ scan: GroupEventScan) async throws -> [StoredLogEvent]
    /// How many events the index finds for `requiredTexts` in the whole store, counting no further than `cap`;
    /// nil when the texts cannot use the index.
    func indexMatchCount(_ requiredTexts: [[String]], cap: Int) async throws -> Int?

    /// Deletes up to `limit` events older than their group's retention at `now`; returns how many.
    func deleteExpiredLogEvents(now: Int64, limit: Int) async throws -> Int
    /// Deletes up to `limit` events of deleted groups and streams; returns how many.
    func purgeDeletedLogs(limit: Int) async throws -> Int
    /// Size of the store on disk, in bytes.
    func storeSizeBytes() async throws -> Int64
}
