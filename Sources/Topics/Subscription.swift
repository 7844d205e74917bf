/// One subscription of an endpoint to a topic.
public struct Subscription: Sendable, Codable, Equatable {
    public var arn: String
    public var topicArn: String
    /// `sqs`, `lambda`, `http` or `https`.
    public var `protocol`: String
    public var endpoint: String
    public var owner: String
    /// Settable attributes (RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, DeliveryPolicy).
    public var attributes: [String: String]
    /// HTTP(S) subscriptions wait for the endpoint to confirm with `token`.
    public var pendingConfirmation: Bool
    public var token: String?
    /// When the token was issued (ms): it is valid for three days, as AWS's are.
    public var tokenIssuedAt: Int64?
    public var confirmationWasAuthenticated: Bool

    public init(arn: String, topicArn: String, protocol: String, endpoint: String, owner: String, attributes: [String: String],
                pendingConfirmation: Bool, token: String? = nil, tokenIssuedAt: Int64? = nil, confirmationWasAuthenticated: Bool) {
        self.arn = arn
        self.topicArn = topicArn
        self.protocol = `protocol`
        self.endpoint = endpoint
        self.owner = owner
        self.attributes = attributes
        self.pendingConfirmation = pendingConfirmation
        self.token = token
        self.tokenIssuedAt = tokenIssuedAt
        self.confirmationWasAuthenticated = confirmationWasAuthenticated
    }

    public var rawMessageDelivery: Bool { attributes["RawMessageDelivery"] == "true" }
    public var isHTTP: Bool { self.protocol == "http" || self.protocol == "https" }
}
