/// The topic attributes SNS lets a caller set, and their rules.
enum TopicAttributes {
    static let settable: Set<String> = [
        "Policy", "DisplayName", "DeliveryPolicy", "SignatureVersion", "TracingConfig", "KmsMasterKeyId",
        "ContentBasedDeduplication", "FifoTopic", "ArchivePolicy", "FifoThroughputScope", "DataProtectionPolicy",
    ]

    /// SNS's action names (for AddPermission).
    static let actionNames: Set<String> = [
        "AddPermission", "ConfirmSubscription", "CreateTopic", "DeleteTopic", "GetTopicAttributes", "ListSubscriptionsByTopic",
        "ListTopics", "Publish", "RemovePermission", "SetTopicAttributes", "Subscribe", "Unsubscribe", "ListSubscriptions",
        "GetSubscriptionAttributes", "SetSubscriptionAttributes", "TagResource", "UntagResource", "ListTagsForResource",
    ]

    static func defaultValue(_ name: String) -> String? {
        switch name {
        case "SignatureVersion": "1"
        case "ContentBasedDeduplication", "FifoTopic": "false"
        case "DisplayName": ""
        default: nil
        }
    }

    static func normalize(_ name: String, _ value: String) -> String {
        switch name {
        case "ContentBasedDeduplication", "FifoTopic": value.lowercased()
        default: value
        }
    }

    static func validate(_ name: String, _ value: String, fifo: Bool, creating: Bool) throws(TopicError) {
        guard settable.contains(name) else { throw .invalidParameter("AttributeName") }
        switch name {
        case "FifoTopic":
            guard creating else { throw .invalidParameter("AttributeName", reason: "FifoTopic can only be set when the topic is created") }
            guard ["true", "false"].contains(value.lowercased()) else { throw .invalidParameter("Attributes", reason: "FifoTopic must be true or false") }
        case "ContentBasedDeduplication":
            guard ["true", "false"].contains(value.lowercased()) else {
                throw .invalidParameter("Attributes", reason: "ContentBasedDeduplication must be true or false")
            }
            guard fifo || value.lowercased() == "false" else {
                throw .invalidParameter("ContentBasedDeduplication", reason: "Content-based deduplication can only be set for FIFO topics")
            }
        case "SignatureVersion":
            guard value == "1" || value == "2" else { throw .invalidParameter("SignatureVersion", reason: "SignatureVersion must be 1 or 2") }
        case "DisplayName":
            guard value.count <= 100 else { throw .invalidParameter("DisplayName", reason: "DisplayName must be at most 100 characters") }
        case "TracingConfig":
            guard value.isEmpty || value == "PassThrough" || value == "Active" else {
                throw .invalidParameter("TracingConfig", reason: "TracingConfig must be PassThrough or Active")
            }
        case "DeliveryPolicy":
            if !value.isEmpty { try SNSDeliveryPolicy.validate(value, topic: true) }
        case "Policy":
            if !value.isEmpty { try TopicPolicyDocument.validate(value) }
        default:
            break
        }
    }
}
