import Queues

public struct SendMessageRequest: Codable, Sendable {
    public var QueueUrl: String?
    public var MessageBody: String?
    public var DelaySeconds: Int?
    public var MessageAttributes: [String: MessageAttributeValue]?
    public var MessageSystemAttributes: [String: MessageAttributeValue]?
    public var MessageDeduplicationId: String?
    public var MessageGroupId: String?
}

public struct SendMessageResponse: Codable, Sendable {
    public var MessageId: String
    public var MD5OfMessageBody: String
    public var MD5OfMessageAttributes: String?
    public var MD5OfMessageSystemAttributes: String?
    public var SequenceNumber: String?
}

public struct SendMessageBatchRequestEntry: Codable, Sendable {
    public var Id: String?
    public var MessageBody: String?
    public var DelaySeconds: Int?
    public var MessageAttributes: [String: MessageAttributeValue]?
    public var MessageSystemAttributes: [String: MessageAttributeValue]?
    public var MessageDeduplicationId: String?
    public var MessageGroupId: String?
}

public struct SendMessageBatchRequest: Codable, Sendable {
    public var QueueUrl: String?
    public var Entries: [SendMessageBatchRequestEntry]?
}

public struct SendMessageBatchResultEntry: Codable, Sendable {
    public var Id: String
    public var MessageId: String
    public var MD5OfMessageBody: String
    public var MD5OfMessageAttributes: String?
    public var MD5OfMessageSystemAttributes: String?
    public var SequenceNumber: String?
}

/// A failed entry of any batch operation.
public struct BatchResultErrorEntry: Codable, Sendable {
    public var Id: String
    public var SenderFault: Bool
    public var Code: String
    public var Message: String?
}

public struct SendMessageBatchResponse: Codable, Sendable {
    public var Successful: [SendMessageBatchResultEntry]
    public var Failed: [BatchResultErrorEntry]
}

public struct ReceiveMessageRequest: Codable, Sendable {
    public var QueueUrl: String?
    public var AttributeNames: [String]?
    public var MessageSystemAttributeNames: [String]?
    public var MessageAttributeNames: [String]?
    public var MaxNumberOfMessages: Int?
    public var VisibilityTimeout: Int?
    public var WaitTimeSeconds: Int?
    public var ReceiveRequestAttemptId: String?
}

public struct Message: Codable, Sendable {
    public var MessageId: String
    public var ReceiptHandle: String
    public var MD5OfBody: String
    public var Body: String
    public var Attributes: [String: String]?
    public var MD5OfMessageAttributes: String?
    public var MessageAttributes: [String: MessageAttributeValue]?
}

public struct ReceiveMessageResponse: Codable, Sendable {
    public var Messages: [Message]?
}

public struct DeleteMessageRequest: Codable, Sendable {
    public var QueueUrl: String?
    public var ReceiptHandle: String?
}

public struct ReceiptBatchEntry: Codable, Sendable {
    public var Id: String?
    public var ReceiptHandle: String?
    public var VisibilityTimeout: Int?
}

/// DeleteMessageBatch and ChangeMessageVisibilityBatch.
public struct ReceiptBatchRequest: Codable, Sendable {
    public var QueueUrl: String?
    public var Entries: [ReceiptBatchEntry]?
}

public struct BatchResultEntry: Codable, Sendable {
    public var Id: String
}

public struct ReceiptBatchResponse: Codable, Sendable {
    public var Successful: [BatchResultEntry]
    public var Failed: [BatchResultErrorEntry]
}

public struct ChangeMessageVisibilityRequest: Codable, Sendable {
    public var QueueUrl: String?
    public var ReceiptHandle: String?
    public var VisibilityTimeout: Int?
}
