import Events

struct PutTargetsRequest: Decodable {
    var Rule: String
    var EventBusName: String?
    var Targets: [EventTarget]
}

/// FailedEntries of PutTargets and RemoveTargets.
struct TargetResultEntry: Encodable {
    var TargetId: String
    var ErrorCode: String
    var ErrorMessage: String
}

struct TargetsResponse: Encodable {
    var FailedEntryCount: Int
    var FailedEntries: [TargetResultEntry]
}

struct RemoveTargetsRequest: Decodable {
    var Rule: String
    var EventBusName: String?
    var Ids: [String]
    var Force: Bool?
}

struct ListTargetsByRuleRequest: Decodable {
    var Rule: String
    var EventBusName: String?
    var NextToken: String?
    var Limit: Int?
}

struct ListTargetsByRuleResponse: Encodable {
    var Targets: [EventTarget]
    var NextToken: String?
}

struct TagResourceRequest: Decodable {
    var ResourceARN: String
    var Tags: [Tag]
}

struct UntagResourceRequest: Decodable {
    var ResourceARN: String
    var TagKeys: [String]
}

struct ListTagsForResourceRequest: Decodable {
    var ResourceARN: String
}

struct ListTagsForResourceResponse: Encodable {
    var Tags: [Tag]
}
