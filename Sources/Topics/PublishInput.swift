import Delivery

/// One message to publish (Publish, an entry of PublishBatch, or a delivery on the `sns` channel).
public struct PublishInput: Sendable {
    public var topicArn: String
    public var message: String
    public var subject: String?
    public var attributes: [String: DeliveryAttribute]
    /// `json`: `message` is a JSON object with a `default` text and one per protocol.
    public var messageStructure: String?
    public var messageGroupId: String?
    public var messageDeduplicationId: String?

    public init(topicArn: String, message: String, subject: String? = nil, attributes: [String: DeliveryAttribute] = [:],
                messageStructure: String? = nil, messageGroupId: String? = nil, messageDeduplicationId: String? = nil) {
        self.topicArn = topicArn
        self.message = message
        self.subject = subject
        self.attributes = attributes
        self.messageStructure = messageStructure
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
    }
}

/// What Publish answers.
public struct PublishResult: Sendable, Equatable {
    public var messageId: String
    public var sequenceNumber: String?
}
