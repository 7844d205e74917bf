/// One SNS topic: its name, attributes as SNS stores them (Policy, DisplayName, DeliveryPolicy, …) and tags.
public struct Topic: Sendable, Codable, Equatable {
    public var arn: String
    public var name: String
    /// Settable attributes only; computed ones (Owner, SubscriptionsConfirmed, …) are added when read.
    public var attributes: [String: String]
    public var tags: [String: String]
    /// Milliseconds since 1970.
    public var createdAt: Int64

    public init(arn: String, name: String, attributes: [String: String], tags: [String: String], createdAt: Int64) {
        self.arn = arn
        self.name = name
        self.attributes = attributes
        self.tags = tags
        self.createdAt = createdAt
    }

    public var isFifo: Bool { attributes["FifoTopic"] == "true" }
    public var contentBasedDeduplication: Bool { attributes["ContentBasedDeduplication"] == "true" }
    /// `1` (SHA1withRSA, the default) or `2` (SHA256withRSA).
    public var signatureVersion: String { attributes["SignatureVersion"] ?? "1" }
}
