import JSONText

/// The subscription attributes SNS lets a caller set, and their rules.
enum SubscriptionAttributes {
    static let settable: Set<String> = [
        "RawMessageDelivery", "FilterPolicy", "FilterPolicyScope", "RedrivePolicy", "DeliveryPolicy", "SubscriptionRoleArn",
    ]

    static func normalize(_ name: String, _ value: String) -> String {
        name == "RawMessageDelivery" ? value.lowercased() : value
    }

    /// Checks one attribute; `scope` and `filterPolicy` are what the subscription will have after the change.
    static func validate(_ name: String, _ value: String, protocol proto: String, scope: String?, filterPolicy: String?) throws(TopicError) {
        guard settable.contains(name) else { throw .invalidParameter("AttributeName") }
        switch name {
        case "RawMessageDelivery":
            guard ["true", "false"].contains(value.lowercased()) else {
                throw .invalidParameter("RawMessageDelivery", reason: "Invalid value [\(value)]. Must be true or false.")
            }
            if value.lowercased() == "true", !["sqs", "http", "https", "firehose"].contains(proto) {
                throw .invalidParameter("Attributes", reason: "Delivery protocol [\(proto)] does not support raw message delivery.")
            }
        case "FilterPolicyScope", "FilterPolicy":
            if let scope, !scope.isEmpty, FilterPolicy.Scope(rawValue: scope) == nil {
                throw .invalidParameter("Attributes", reason: "FilterPolicyScope: Invalid value [\(scope)]. Please use either MessageBody or MessageAttributes")
            }
            if let filterPolicy, !filterPolicy.isEmpty, filterPolicy != "{}" {
                do {
                    _ = try FilterPolicy(json: filterPolicy, scope: FilterPolicy.Scope(rawValue: scope ?? "") ?? .messageAttributes)
                } catch {
                    throw error.topicError
                }
            }
        case "RedrivePolicy":
            guard !value.isEmpty else { return }
            guard let policy = JSONText.object(value) else {
                throw .invalidParameter("RedrivePolicy", reason: "Redrive policy is not a valid JSON object")
            }
            guard let target = policy["deadLetterTargetArn"]?.stringValue else {
                throw .invalidParameter("RedrivePolicy", reason: "deadLetterTargetArn is missing")
            }
            let parts = target.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 6, parts[0] == "arn", parts[2] == "sqs", !parts[5].isEmpty else {
                throw .invalidParameter("RedrivePolicy", reason: "Invalid deadLetterTargetArn: \(target)")
            }
        case "DeliveryPolicy":
            guard !value.isEmpty else { return }
            guard proto == "http" || proto == "https" else {
                throw .invalidParameter("DeliveryPolicy", reason: "Delivery policy is only supported for HTTP/S subscriptions")
            }
            try SNSDeliveryPolicy.validate(value, topic: false)
        case "SubscriptionRoleArn":
            throw .invalidParameter("Attributes", reason: "SubscriptionRoleArn applies only to firehose subscriptions, which this server does not support")
        default:
            break
        }
    }

    /// The dead-letter queue of a subscription's RedrivePolicy.
    static func deadLetterTarget(_ subscription: Subscription) -> String? {
        subscription.attributes["RedrivePolicy"].flatMap(JSONText.object)?["deadLetterTargetArn"]?.stringValue
    }
}
