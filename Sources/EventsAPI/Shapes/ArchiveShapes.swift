import Events

struct CreateArchiveRequest: Decodable {
    var ArchiveName: String
    var EventSourceArn: String
    var Description: String?
    var EventPattern: String?
    var RetentionDays: Int?
}

/// CreateArchive and UpdateArchive.
struct ArchiveStateResponse: Encodable {
    var ArchiveArn: String
    var State: String
    var CreationTime: Double
}

struct ArchiveNameRequest: Decodable {
    var ArchiveName: String
}

struct UpdateArchiveRequest: Decodable {
    var ArchiveName: String
    var Description: String?
    var EventPattern: String?
    var RetentionDays: Int?
}

struct DescribeArchiveResponse: Encodable {
    var ArchiveArn: String
    var ArchiveName: String
    var EventSourceArn: String
    var Description: String?
    var EventPattern: String?
    var State: String
    var RetentionDays: Int
    var SizeBytes: Int64
    var EventCount: Int64
    var CreationTime: Double
}

struct ListArchivesRequest: Decodable {
    var NamePrefix: String?
    var EventSourceArn: String?
    var State: String?
    var NextToken: String?
    var Limit: Int?
}

/// `Archive` of ListArchives.
struct ArchiveShape: Encodable {
    var ArchiveName: String
    var EventSourceArn: String
    var State: String
    var RetentionDays: Int
    var SizeBytes: Int64
    var EventCount: Int64
    var CreationTime: Double
}

struct ListArchivesResponse: Encodable {
    var Archives: [ArchiveShape]
    var NextToken: String?
}

struct ReplayDestination: Codable {
    var Arn: String
    var FilterArns: [String]?
}

struct StartReplayRequest: Decodable {
    var ReplayName: String
    var Description: String?
    var EventSourceArn: String
    var EventStartTime: Double
    var EventEndTime: Double
    var Destination: ReplayDestination
}

/// StartReplay and CancelReplay.
struct ReplayStateResponse: Encodable {
    var ReplayArn: String
    var State: String
    var StateReason: String?
    var ReplayStartTime: Double?
}

struct ReplayNameRequest: Decodable {
    var ReplayName: String
}

struct DescribeReplayResponse: Encodable {
    var ReplayName: String
    var ReplayArn: String
    var Description: String?
    var State: String
    var StateReason: String?
    var EventSourceArn: String
    var Destination: ReplayDestination
    var EventStartTime: Double
    var EventEndTime: Double
    var EventLastReplayedTime: Double?
    var ReplayStartTime: Double
    var ReplayEndTime: Double?
}

struct ListReplaysRequest: Decodable {
    var NamePrefix: String?
    var State: String?
    var EventSourceArn: String?
    var NextToken: String?
    var Limit: Int?
}

/// `Replay` of ListReplays.
struct ReplayShape: Encodable {
    var ReplayName: String
    var EventSourceArn: String
    var State: String
    var StateReason: String?
    var EventStartTime: Double
    var EventEndTime: Double
    var EventLastReplayedTime: Double?
    var ReplayStartTime: Double
    var ReplayEndTime: Double?
}

struct ListReplaysResponse: Encodable {
    var Replays: [ReplayShape]
    var NextToken: String?
}
