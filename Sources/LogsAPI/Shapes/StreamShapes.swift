import CloudWatchLogs

struct CreateLogStreamRequest: Decodable {
    var logGroupName: String
    var logStreamName: String
}

struct DeleteLogStreamRequest: Decodable {
    var logGroupName: String
    var logStreamName: String
}

struct DescribeLogStreamsRequest: Decodable {
    var logGroupName: String?
    var logGroupIdentifier: String?
    var logStreamNamePrefix: String?
    var orderBy: String?
    var descending: Bool?
    var nextToken: String?
    var limit: Int?
}

struct LogStreamShape: Encodable {
    var logStreamName: String
    var creationTime: Int64
    var firstEventTimestamp: Int64?
    var lastEventTimestamp: Int64?
    var lastIngestionTime: Int64?
    var uploadSequenceToken: String
    var arn: String
    var storedBytes: Int64

    init(_ stream: LogStream, arns: LogARNs) {
        logStreamName = stream.name
        creationTime = stream.creationTime
        firstEventTimestamp = stream.firstEventTimestamp
        lastEventTimestamp = stream.lastEventTimestamp
        lastIngestionTime = stream.lastIngestionTime
        uploadSequenceToken = stream.uploadSequenceToken
        arn = arns.stream(group: stream.group, stream: stream.name)
        storedBytes = stream.storedBytes
    }
}

struct DescribeLogStreamsResponse: Encodable {
    var logStreams: [LogStreamShape]
    var nextToken: String?
}
