import CloudWatchLogs

struct CreateLogGroupRequest: Decodable {
    var logGroupName: String
    var tags: [String: String]?
    var kmsKeyId: String?
    var logGroupClass: String?
}

struct DeleteLogGroupRequest: Decodable {
    var logGroupName: String
}

struct DescribeLogGroupsRequest: Decodable {
    var logGroupNamePrefix: String?
    var logGroupNamePattern: String?
    var nextToken: String?
    var limit: Int?
}

struct LogGroupShape: Encodable {
    var logGroupName: String
    var creationTime: Int64
    var retentionInDays: Int?
    var metricFilterCount: Int
    var arn: String
    var logGroupArn: String
    var storedBytes: Int64
    var logGroupClass: String

    init(_ group: LogGroup, arns: LogARNs) {
        logGroupName = group.name
        creationTime = group.creationTime
        retentionInDays = group.retentionInDays
        metricFilterCount = 0
        arn = arns.groupWildcard(group.name)
        logGroupArn = arns.group(group.name)
        storedBytes = group.storedBytes
        logGroupClass = "STANDARD"
    }
}

struct DescribeLogGroupsResponse: Encodable {
    var logGroups: [LogGroupShape]
    var nextToken: String?
}

struct PutRetentionPolicyRequest: Decodable {
    var logGroupName: String
    var retentionInDays: Int
}

struct DeleteRetentionPolicyRequest: Decodable {
    var logGroupName: String
}

struct TagResourceRequest: Decodable {
    var resourceArn: String
    var tags: [String: String]
}

struct UntagResourceRequest: Decodable {
    var resourceArn: String
    var tagKeys: [String]
}

struct ListTagsForResourceRequest: Decodable {
    var resourceArn: String
}

struct TagsResponse: Encodable {
    var tags: [String: String]
}

struct TagLogGroupRequest: Decodable {
    var logGroupName: String
    var tags: [String: String]
}

/// UntagLogGroup names the keys in `tags` (a list).
struct UntagLogGroupRequest: Decodable {
    var logGroupName: String
    var tags: [String]
}

struct ListTagsLogGroupRequest: Decodable {
    var logGroupName: String
}
