import CloudWatchLogs

struct InputLogEvent: Decodable {
    var timestamp: Int64
    var message: String
}

struct PutLogEventsRequest: Decodable {
    var logGroupName: String
    var logStreamName: String
    var logEvents: [InputLogEvent]
    var sequenceToken: String?
}

struct RejectedLogEventsInfo: Encodable {
    var tooNewLogEventStartIndex: Int?
    var tooOldLogEventEndIndex: Int?
    var expiredLogEventEndIndex: Int?
}

struct PutLogEventsResponse: Encodable {
    var nextSequenceToken: String
    var rejectedLogEventsInfo: RejectedLogEventsInfo?
}

struct GetLogEventsRequest: Decodable {
    var logGroupName: String?
    var logGroupIdentifier: String?
    var logStreamName: String
    var startTime: Int64?
    var endTime: Int64?
    var nextToken: String?
    var limit: Int?
    var startFromHead: Bool?
}

struct OutputLogEvent: Encodable {
    var timestamp: Int64
    var message: String
    var ingestionTime: Int64
}

struct GetLogEventsResponse: Encodable {
    var events: [OutputLogEvent]
    var nextForwardToken: String
    var nextBackwardToken: String
}

struct FilterLogEventsRequest: Decodable {
    var logGroupName: String?
    var logGroupIdentifier: String?
    var logStreamNames: [String]?
    var logStreamNamePrefix: String?
    var startTime: Int64?
    var endTime: Int64?
    var filterPattern: String?
    var nextToken: String?
    var limit: Int?
    var interleaved: Bool?
}

struct FilteredLogEvent: Encodable {
    var logStreamName: String
    var timestamp: Int64
    var message: String
    var ingestionTime: Int64
    var eventId: String
}

struct SearchedLogStream: Encodable {
    var logStreamName: String
    var searchedCompletely: Bool
}

struct FilterLogEventsResponse: Encodable {
    var events: [FilteredLogEvent]
    var searchedLogStreams: [SearchedLogStream]
    var nextToken: String?
}
