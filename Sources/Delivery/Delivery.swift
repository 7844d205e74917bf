/// One message on its way to one target: the unit of the platform's single delivery path. Event-bus rule
/// targets, SNS subscriptions, schedules and Lambda's destinations all hand their sends to `DeliveryService`
/// as `Delivery` values; it keeps them durable until the target took them (at least once), retries failures
/// with the policy the producer chose, and dead-letters what ran out of attempts or age.
public struct Delivery: Sendable, Codable, Equatable {
    /// Unique per delivery (a UUID); also the event id producers put in payloads where AWS has one.
    public var id: String
    /// Which sink takes it (`DeliveryRouter`): `lambda`, `sqs`, `sns`, `events`, or a producer's own channel
    /// such as `sns-subscription`.
    public var channel: String
    /// What the sink delivers to: an ARN (function, queue, topic, bus) or an id the channel's sink knows.
    public var target: String
    /// The body as the target receives it.
    public var payload: String
    /// Message attributes (SQS/SNS targets).
    public var attributes: [String: DeliveryAttribute]
    /// FIFO queues and topics.
    public var messageGroupId: String?
    public var deduplicationId: String?
    /// Who sends it, for the target's resource policy (`aws:SourceArn`) or the role to act as.
    public var origin: DeliveryOrigin
    public var retry: DeliveryRetryPolicy
    public var deadLetter: DeadLetter?
    /// Milliseconds since 1970: when the producer accepted the message (event age counts from here).
    public var acceptedAt: Int64
    /// Not before this time (ms).
    public var dueAt: Int64
    /// Attempts made so far.
    public var attempts: Int
    /// Channel-specific facts the sink needs (an SNS subscription's protocol, a subject, …).
    public var context: [String: String]

    public init(id: String, channel: String, target: String, payload: String, attributes: [String: DeliveryAttribute] = [:],
                messageGroupId: String? = nil, deduplicationId: String? = nil, origin: DeliveryOrigin,
                retry: DeliveryRetryPolicy, deadLetter: DeadLetter? = nil, acceptedAt: Int64, dueAt: Int64? = nil,
                attempts: Int = 0, context: [String: String] = [:]) {
        self.id = id
        self.channel = channel
        self.target = target
        self.payload = payload
        self.attributes = attributes
        self.messageGroupId = messageGroupId
        self.deduplicationId = deduplicationId
        self.origin = origin
        self.retry = retry
        self.deadLetter = deadLetter
        self.acceptedAt = acceptedAt
        self.dueAt = dueAt ?? acceptedAt
        self.attempts = attempts
        self.context = context
    }

    /// The channel an ARN is delivered on: its service (`arn:aws:sqs:…` → `sqs`).
    public static func channel(forARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "arn", !parts[2].isEmpty else { return nil }
        return String(parts[2])
    }
}

/// A message attribute as SQS and SNS carry them.
public struct DeliveryAttribute: Sendable, Codable, Equatable {
    public var dataType: String
    public var stringValue: String?
    public var binaryValue: [UInt8]?

    public init(dataType: String, stringValue: String? = nil, binaryValue: [UInt8]? = nil) {
        self.dataType = dataType
        self.stringValue = stringValue
        self.binaryValue = binaryValue
    }

    public static func string(_ value: String) -> DeliveryAttribute { .init(dataType: "String", stringValue: value) }
    public static func number(_ value: Int) -> DeliveryAttribute { .init(dataType: "Number", stringValue: String(value)) }
}

/// Who a delivery acts for. AWS services send as their service principal (`events.amazonaws.com`) from a
/// source ARN (the rule, the topic), which the target's resource policy must allow; Scheduler (and rule
/// targets with a `RoleArn`) act as a role whose permissions must allow the send.
public struct DeliveryOrigin: Sendable, Codable, Equatable {
    public var servicePrincipal: String?
    public var sourceArn: String?
    public var sourceAccount: String?
    public var roleArn: String?

    public init(servicePrincipal: String? = nil, sourceArn: String? = nil, sourceAccount: String? = nil, roleArn: String? = nil) {
        self.servicePrincipal = servicePrincipal
        self.sourceArn = sourceArn
        self.sourceAccount = sourceAccount
        self.roleArn = roleArn
    }
}

/// Where a message that ran out of attempts or age goes: an SQS queue, with attributes the producer adds
/// (EventBridge: `RULE_ARN`, `TARGET_ARN`) and, when `includeError`, `ERROR_CODE`, `ERROR_MESSAGE`,
/// `EXHAUSTED_RETRY_CONDITION` and `RETRY_ATTEMPTS` as EventBridge writes them.
public struct DeadLetter: Sendable, Codable, Equatable {
    public var arn: String
    public var attributes: [String: DeliveryAttribute]
    public var includeError: Bool

    public init(arn: String, attributes: [String: DeliveryAttribute] = [:], includeError: Bool = true) {
        self.arn = arn
        self.attributes = attributes
        self.includeError = includeError
    }
}
