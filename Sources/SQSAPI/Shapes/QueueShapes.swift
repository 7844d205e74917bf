/// Requests and responses of the queue operations, named after SQS's shapes.
public struct CreateQueueRequest: Codable, Sendable {
    public var QueueName: String?
    public var Attributes: [String: String]?
    public var tags: [String: String]?
}

public struct QueueUrlResponse: Codable, Sendable {
    public var QueueUrl: String
}

public struct GetQueueUrlRequest: Codable, Sendable {
    public var QueueName: String?
    public var QueueOwnerAWSAccountId: String?
}

public struct ListQueuesRequest: Codable, Sendable {
    public var QueueNamePrefix: String?
    public var NextToken: String?
    public var MaxResults: Int?
}

public struct ListQueuesResponse: Codable, Sendable {
    public var QueueUrls: [String]?
    public var NextToken: String?
}

/// Every request that names only its queue (DeleteQueue, PurgeQueue, ListQueueTags).
public struct QueueUrlRequest: Codable, Sendable {
    public var QueueUrl: String?
}

public struct GetQueueAttributesRequest: Codable, Sendable {
    public var QueueUrl: String?
    public var AttributeNames: [String]?
}

public struct QueueAttributesResponse: Codable, Sendable {
    public var Attributes: [String: String]?
}

public struct SetQueueAttributesRequest: Codable, Sendable {
    public var QueueUrl: String?
    public var Attributes: [String: String]?
}

public struct TagQueueRequest: Codable, Sendable {
    public var QueueUrl: String?
    public var Tags: [String: String]?
}

public struct UntagQueueRequest: Codable, Sendable {
    public var QueueUrl: String?
    public var TagKeys: [String]?
}

public struct ListQueueTagsResponse: Codable, Sendable {
    public var Tags: [String: String]?
}

/// The empty JSON object most mutating operations answer with.
public struct EmptyResponse: Codable, Sendable {}
