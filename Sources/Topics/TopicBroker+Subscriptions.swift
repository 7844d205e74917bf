import Delivery
import Foundation

extension TopicBroker {
    public static let supportedProtocols: Set<String> = ["sqs", "lambda", "http", "https"]
    public static let knownProtocols: Set<String> = ["sqs", "lambda", "http", "https", "email", "email-json", "sms", "application", "firehose"]
    /// Confirmation tokens are valid this long (ms), as AWS's are.
    static let tokenLifetimeMs: Int64 = 3 * 86_400_000

    /// Subscribe: SQS and Lambda endpoints are confirmed at once; HTTP/S endpoints get a SubscriptionConfirmation
    /// and stay pending until they confirm. Subscribing the same endpoint again returns the existing subscription.
    /// Answers the subscription ARN, or `pending confirmation` unless `returnArn`.
    public func subscribe(topicArn: String, protocol proto: String, endpoint: String?, attributes: [String: String],
                          returnArn: Bool) async throws -> String {
        let topic = try topic(topicArn)
        guard Self.knownProtocols.contains(proto) else { throw TopicError.invalidParameter("Protocol") }
        guard Self.supportedProtocols.contains(proto) else {
            throw TopicError.invalidParameter("Protocol", reason: "The \(proto) protocol is not supported by this server")
        }
        guard let endpoint, !endpoint.isEmpty else { throw TopicError.invalidParameter("Endpoint") }
        try Self.validateEndpoint(endpoint, protocol: proto, topic: topic)
        var normalized: [String: String] = [:]
        for (name, value) in attributes {
            try SubscriptionAttributes.validate(name, value, protocol: proto, scope: attributes["FilterPolicyScope"],
                                                filterPolicy: attributes["FilterPolicy"])
            if !value.isEmpty { normalized[name] = SubscriptionAttributes.normalize(name, value) }
        }
        if let existing = (byTopic[topicArn] ?? []).compactMap({ subscriptions[$0] })
            .first(where: { $0.protocol == proto && $0.endpoint == endpoint }) {
            for (name, value) in normalized where existing.attributes[name] != value {
                throw TopicError.invalidParameter("Attributes", reason: "Subscription already exists with different attributes")
            }
            if existing.pendingConfirmation {
                try await requestConfirmation(existing, topic: topic)
                return returnArn ? existing.arn : "pending confirmation"
            }
            return existing.arn
        }
        let http = proto == "http" || proto == "https"
        let subscription = Subscription(
            arn: topicArn + ":" + UUID().uuidString.lowercased(), topicArn: topicArn, protocol: proto, endpoint: endpoint,
            owner: addressing.accountId, attributes: normalized, pendingConfirmation: http,
            token: http ? Self.makeToken() : nil, tokenIssuedAt: http ? clock() : nil, confirmationWasAuthenticated: !http)
        remember(subscription)
        do {
            try await store.saveSubscription(subscription)
        } catch {
            forget(subscription: subscription.arn)
            throw error
        }
        if http {
            try await requestConfirmation(subscription, topic: topic)
            return returnArn ? subscription.arn : "pending confirmation"
        }
        return subscription.arn
    }

    static func validateEndpoint(_ endpoint: String, protocol proto: String, topic: Topic) throws(TopicError) {
        switch proto {
        case "sqs":
            let parts = endpoint.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 6, parts[0] == "arn", parts[2] == "sqs", !parts[5].isEmpty else {
                throw .invalidParameter("SQS endpoint ARN")
            }
            let fifoQueue = endpoint.hasSuffix(".fifo")
            if topic.isFifo && !fifoQueue {
                throw .invalidParameter("Invalid parameter: Endpoint", reason: "Please use FIFO SQS queue")
            }
        case "lambda":
            let parts = endpoint.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 7, parts[0] == "arn", parts[2] == "lambda", parts[5] == "function" else {
                throw .invalidParameter("Lambda endpoint ARN")
            }
        case "http", "https":
            guard endpoint.lowercased().hasPrefix(proto + "://"), URL(string: endpoint)?.host != nil else {
                throw .invalidParameter("Endpoint", reason: "Endpoint must match the specified protocol")
            }
        default:
            break
        }
        if topic.isFifo && proto != "sqs" {
            throw .invalidParameter("Invalid parameter: Endpoint",
                                    reason: "FIFO topics only support Amazon SQS FIFO queues as subscription endpoints; \(proto) is not")
        }
    }

    static func makeToken() -> String {
        var bytes = [UInt8](repeating: 0, count: 64)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Sends (durably) the SubscriptionConfirmation message to an HTTP/S endpoint.
    func requestConfirmation(_ subscription: Subscription, topic: Topic) async throws {
        guard let token = subscription.token else { return }
        let now = clock()
        let message = "You have chosen to subscribe to the topic \(topic.arn).\n"
            + "To confirm the subscription, visit the SubscribeURL included in this message."
        try await deliveries.accept([Delivery(
            id: UUID().uuidString.lowercased(), channel: SubscriptionDeliverySink.channel, target: subscription.arn,
            payload: message, origin: DeliveryOrigin(servicePrincipal: "sns.amazonaws.com", sourceArn: topic.arn),
            retry: SNSDeliveryPolicy.retry(for: subscription, topic: topic), acceptedAt: now,
            context: [
                "type": "SubscriptionConfirmation", "topicArn": topic.arn, "messageId": UUID().uuidString.lowercased(),
                "timestamp": SNSTimestamp.string(milliseconds: now), "token": token, "protocol": subscription.protocol,
                "endpoint": subscription.endpoint, "signatureVersion": topic.signatureVersion,
            ])])
    }

    /// ConfirmSubscription (or a GET of the SubscribeURL): the pending subscription with this token is confirmed.
    public func confirm(topicArn: String?, token: String, authenticated: Bool) async throws -> String {
        if let topicArn { _ = try topic(topicArn) }
        let now = clock()
        guard var subscription = subscriptions.values.first(where: {
            $0.token == token && (topicArn == nil || $0.topicArn == topicArn)
        }), now - (subscription.tokenIssuedAt ?? now) <= Self.tokenLifetimeMs else {
            throw TopicError.invalidParameter("Token")
        }
        guard subscription.pendingConfirmation else { return subscription.arn }
        subscription.pendingConfirmation = false
        subscription.confirmationWasAuthenticated = authenticated
        try await saveSubscription(subscription)
        return subscription.arn
    }

    func saveSubscription(_ subscription: Subscription) async throws {
        let previous = subscriptions[subscription.arn]
        remember(subscription)
        do {
            try await store.saveSubscription(subscription)
        } catch {
            if let previous { remember(previous) } else { forget(subscription: subscription.arn) }
            throw error
        }
    }

    public func subscription(_ arn: String) throws(TopicError) -> Subscription {
        guard TopicAddressing.topicArn(ofSubscription: arn) != nil else { throw .invalidParameter("SubscriptionArn") }
        guard let subscription = subscriptions[arn] else { throw .subscriptionNotFound }
        return subscription
    }

    /// Unsubscribe; `authenticated` is false for a GET of the UnsubscribeURL, which a subscription confirmed with
    /// `AuthenticateOnUnsubscribe` refuses.
    public func unsubscribe(_ arn: String, authenticated: Bool = true) async throws {
        guard TopicAddressing.topicArn(ofSubscription: arn) != nil else { throw TopicError.invalidParameter("SubscriptionArn") }
        guard let subscription = subscriptions[arn] else {
            if authenticated { return }
            throw TopicError.subscriptionNotFound
        }
        if !authenticated && subscription.confirmationWasAuthenticated && subscription.isHTTP {
            throw TopicError.authorization("Unsubscribe requires authentication for this subscription")
        }
        try await store.deleteSubscription(arn)
        forget(subscription: arn)
        deletedCounts[subscription.topicArn, default: 0] += 1
    }

    /// ListSubscriptions / ListSubscriptionsByTopic: 100 a page.
    public func listSubscriptions(topicArn: String?, nextToken: String?) throws(TopicError) -> (subscriptions: [Subscription], nextToken: String?) {
        var all: [Subscription]
        if let topicArn {
            _ = try topic(topicArn)
            all = (byTopic[topicArn] ?? []).compactMap { subscriptions[$0] }
        } else {
            all = Array(subscriptions.values)
        }
        all.sort { $0.arn < $1.arn }
        var start = 0
        if let nextToken {
            guard let after = Self.decodeToken(nextToken) else { throw .invalidParameter("NextToken") }
            start = all.firstIndex { $0.arn > after } ?? all.count
        }
        let page = Array(all[start..<min(all.count, start + Self.pageSize)])
        let more = start + page.count < all.count
        return (page, more ? Self.encodeToken(page.last!.arn) : nil)
    }

    /// GetSubscriptionAttributes.
    public func subscriptionAttributes(_ arn: String) throws(TopicError) -> [String: String] {
        let subscription = try subscription(arn)
        var out = subscription.attributes
        out["SubscriptionArn"] = subscription.arn
        out["TopicArn"] = subscription.topicArn
        out["Owner"] = subscription.owner
        out["Protocol"] = subscription.protocol
        out["Endpoint"] = subscription.endpoint
        out["PendingConfirmation"] = subscription.pendingConfirmation ? "true" : "false"
        out["ConfirmationWasAuthenticated"] = subscription.confirmationWasAuthenticated ? "true" : "false"
        out["RawMessageDelivery"] = subscription.attributes["RawMessageDelivery"] ?? "false"
        out["SubscriptionPrincipal"] = "arn:aws:iam::\(addressing.accountId):root"
        if subscription.attributes["FilterPolicy"] != nil {
            out["FilterPolicyScope"] = subscription.attributes["FilterPolicyScope"] ?? "MessageAttributes"
        }
        if subscription.isHTTP {
            out["EffectiveDeliveryPolicy"] = subscription.attributes["DeliveryPolicy"] ?? SNSDeliveryPolicy.defaultEffectiveSubscriptionPolicy
        }
        return out
    }

    /// SetSubscriptionAttributes: one attribute; an empty value removes it.
    public func setSubscriptionAttribute(_ arn: String, name: String, value: String?) async throws {
        var subscription = try subscription(arn)
        let value = value ?? ""
        var scope = subscription.attributes["FilterPolicyScope"]
        var policy = subscription.attributes["FilterPolicy"]
        if name == "FilterPolicyScope" { scope = value }
        if name == "FilterPolicy" { policy = value }
        try SubscriptionAttributes.validate(name, value, protocol: subscription.protocol, scope: scope, filterPolicy: policy)
        if value.isEmpty || (name == "FilterPolicy" && value == "{}") {
            subscription.attributes[name] = nil
        } else {
            subscription.attributes[name] = SubscriptionAttributes.normalize(name, value)
        }
        try await saveSubscription(subscription)
    }
}
