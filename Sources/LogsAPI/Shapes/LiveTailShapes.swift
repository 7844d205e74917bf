// StartLiveTail's request and the members of its response stream, as the service model names them.

struct StartLiveTailRequest: Decodable {
    var logGroupIdentifiers: [String]
    var logStreamNames: [String]?
    var logStreamNamePrefixes: [String]?
    var logEventFilterPattern: String?
}

struct LiveTailSessionStart: Encodable {
    var requestId: String
    var sessionId: String
    var logGroupIdentifiers: [String]
    var logStreamNames: [String]?
    var logStreamNamePrefixes: [String]?
    var logEventFilterPattern: String
}

struct LiveTailSessionUpdate: Encodable {
    struct Metadata: Encodable { var sampled: Bool }
    struct LogEvent: Encodable {
        var logStreamName: String
        var logGroupIdentifier: String
        var message: String
        var timestamp: Int64
        var ingestionTime: Int64
    }
    var sessionMetadata: Metadata
    var sessionResults: [LogEvent]
}

struct LiveTailException: Encodable {
    var message: String
}
