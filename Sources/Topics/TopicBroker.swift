import Delivery
import Foundation
import Logging

/// SNS's semantics over a `TopicStore`: topics, subscriptions and publishing. Holds every topic and subscription in
/// memory (written through to the store) so Publish matches subscriptions without reading the store; a publish
/// becomes one `Delivery` per matching subscription, accepted durably in one call before it answers.
public actor TopicBroker {
    public nonisolated let addressing: TopicAddressing
    let store: any TopicStore
    let deliveries: DeliveryService
    let logger: Logger
    let clock: @Sendable () -> Int64

    var topics: [String: Topic] = [:]
    var subscriptions: [String: Subscription] = [:]
    /// Subscription ARNs by topic ARN, in the order they were made.
    var byTopic: [String: [String]] = [:]
    /// Compiled filter policies by subscription ARN.
    var filters: [String: FilterPolicy] = [:]
    /// Unsubscribed per topic since start (`SubscriptionsDeleted`).
    var deletedCounts: [String: Int] = [:]
    /// FIFO topics: deduplication ids seen in the last five minutes, with the message id they got.
    var deduplication: [String: DeduplicationWindow] = [:]
    var sequence: UInt64 = 0

    public static let maxMessageBytes = 262_144
    public static let pageSize = 100
    public static let deduplicationWindowMs: Int64 = 300_000

    public init(store: any TopicStore, deliveries: DeliveryService, addressing: TopicAddressing, logger: Logger,
                clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }) {
        self.store = store
        self.deliveries = deliveries
        self.addressing = addressing
        self.logger = logger
        self.clock = clock
    }

    /// Reads every topic and subscription from the store (at start).
    public func load() async throws {
        let (storedTopics, storedSubscriptions) = try await store.loadTopics()
        for topic in storedTopics { topics[topic.arn] = topic }
        for subscription in storedSubscriptions where topics[subscription.topicArn] != nil {
            remember(subscription)
        }
        sequence = UInt64(clock()) * 1_000_000
    }

    /// Reads every topic and subscription again (another node of a cluster changed them): what went is forgotten.
    public func reload() async throws {
        let (storedTopics, storedSubscriptions) = try await store.loadTopics()
        topics = Dictionary(storedTopics.map { ($0.arn, $0) }, uniquingKeysWith: { $1 })
        subscriptions = [:]
        byTopic = [:]
        filters = [:]
        for subscription in storedSubscriptions where topics[subscription.topicArn] != nil {
            remember(subscription)
        }
    }

    func remember(_ subscription: Subscription) {
        if subscriptions[subscription.arn] == nil { byTopic[subscription.topicArn, default: []].append(subscription.arn) }
        subscriptions[subscription.arn] = subscription
        if let text = subscription.attributes["FilterPolicy"], !text.isEmpty,
           let policy = try? FilterPolicy(json: text, scope: Self.scope(of: subscription)) {
            filters[subscription.arn] = policy
        } else {
            filters[subscription.arn] = nil
        }
    }

    func forget(subscription arn: String) {
        guard let subscription = subscriptions.removeValue(forKey: arn) else { return }
        byTopic[subscription.topicArn]?.removeAll { $0 == arn }
        filters[arn] = nil
    }

    static func scope(of subscription: Subscription) -> FilterPolicy.Scope {
        FilterPolicy.Scope(rawValue: subscription.attributes["FilterPolicyScope"] ?? "") ?? .messageAttributes
    }

    // MARK: Topics

    /// The topic an ARN names, or `NotFound`.
    public func topic(_ arn: String) throws(TopicError) -> Topic {
        guard TopicAddressing.topicName(fromARN: arn) != nil else { throw .invalidParameter("TopicArn") }
        guard let topic = topics[arn] else { throw .topicNotFound }
        return topic
    }

    /// CreateTopic: a new topic, or the existing one when the attributes and tags asked for agree with it.
    public func createTopic(name: String, attributes: [String: String], tags: [String: String]) async throws -> Topic {
        let fifo = attributes["FifoTopic"]?.lowercased() == "true"
        guard TopicAddressing.isValidName(name, fifo: fifo) else {
            if fifo || name.hasSuffix(".fifo") {
                throw TopicError.invalidParameter("Topic Name",
                    reason: "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.")
            }
            throw TopicError.invalidParameter("Topic Name")
        }
        let arn = addressing.topicArn(name)
        var normalized: [String: String] = [:]
        for (key, value) in attributes {
            try TopicAttributes.validate(key, value, fifo: fifo, creating: true)
            normalized[key] = TopicAttributes.normalize(key, value)
        }
        try TopicTags.validate(tags)
        if let existing = topics[arn] {
            for (key, value) in normalized where (existing.attributes[key] ?? TopicAttributes.defaultValue(key)) != value {
                throw TopicError.invalidParameter("Attributes", reason: "Topic already exists with different attributes")
            }
            for (key, value) in tags where existing.tags[key] != value {
                throw TopicError.invalidParameter("Tags", reason: "Topic already exists with different tags")
            }
            return existing
        }
        if fifo { normalized["FifoTopic"] = "true" } else { normalized["FifoTopic"] = nil }
        let topic = Topic(arn: arn, name: name, attributes: normalized, tags: tags, createdAt: clock())
        topics[arn] = topic
        do {
            try await store.saveTopic(topic)
        } catch {
            topics[arn] = nil
            throw error
        }
        return topic
    }

    public func deleteTopic(_ arn: String) async throws {
        guard TopicAddressing.topicName(fromARN: arn) != nil else { throw TopicError.invalidParameter("TopicArn") }
        // Deleting a topic that does not exist succeeds, as in AWS.
        guard topics[arn] != nil else { return }
        try await store.deleteTopic(arn)
        topics[arn] = nil
        for subscription in byTopic[arn] ?? [] {
            subscriptions[subscription] = nil
            filters[subscription] = nil
        }
        byTopic[arn] = nil
        deduplication[arn] = nil
        deletedCounts[arn] = nil
    }

    /// ListTopics: 100 ARNs a page, in ARN order; the token is the last ARN of the previous page.
    public func listTopics(nextToken: String?) throws(TopicError) -> (arns: [String], nextToken: String?) {
        let sorted = topics.keys.sorted()
        var start = 0
        if let nextToken {
            guard let after = Self.decodeToken(nextToken) else { throw .invalidParameter("NextToken") }
            start = sorted.firstIndex { $0 > after } ?? sorted.count
        }
        let page = Array(sorted[start..<min(sorted.count, start + Self.pageSize)])
        let more = start + page.count < sorted.count
        return (page, more ? Self.encodeToken(page.last!) : nil)
    }

    static func encodeToken(_ value: String) -> String {
        Data(value.utf8).base64EncodedString()
    }

    static func decodeToken(_ token: String) -> String? {
        Data(base64Encoded: token).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// GetTopicAttributes: the settable attributes and the computed ones, as SNS reports them.
    public func topicAttributes(_ arn: String) throws(TopicError) -> [String: String] {
        let topic = try topic(arn)
        var out = topic.attributes
        out["TopicArn"] = topic.arn
        out["Owner"] = addressing.accountId
        out["Policy"] = topic.attributes["Policy"] ?? TopicPolicyDocument.defaultPolicy(topicArn: topic.arn, accountId: addressing.accountId)
        out["DisplayName"] = topic.attributes["DisplayName"] ?? ""
        let members = (byTopic[arn] ?? []).compactMap { subscriptions[$0] }
        out["SubscriptionsConfirmed"] = String(members.filter { !$0.pendingConfirmation }.count)
        out["SubscriptionsPending"] = String(members.filter(\.pendingConfirmation).count)
        out["SubscriptionsDeleted"] = String(deletedCounts[arn] ?? 0)
        out["EffectiveDeliveryPolicy"] = topic.attributes["DeliveryPolicy"] ?? SNSDeliveryPolicy.defaultEffectiveTopicPolicy
        if topic.isFifo {
            out["ContentBasedDeduplication"] = topic.attributes["ContentBasedDeduplication"] ?? "false"
        }
        return out
    }

    /// SetTopicAttributes: one attribute; an empty value removes the ones that may be removed.
    public func setTopicAttribute(_ arn: String, name: String, value: String?) async throws {
        var topic = try topic(arn)
        try TopicAttributes.validate(name, value ?? "", fifo: topic.isFifo, creating: false)
        if let value, !value.isEmpty {
            topic.attributes[name] = TopicAttributes.normalize(name, value)
        } else {
            topic.attributes[name] = nil
        }
        try await save(topic)
    }

    func save(_ topic: Topic) async throws {
        let previous = topics[topic.arn]
        topics[topic.arn] = topic
        do {
            try await store.saveTopic(topic)
        } catch {
            topics[topic.arn] = previous
            throw error
        }
    }

    public func addPermission(_ arn: String, label: String, accounts: [String], actions: [String]) async throws {
        var topic = try topic(arn)
        guard !label.isEmpty, label.count <= 256 else { throw TopicError.invalidParameter("Label") }
        guard !accounts.isEmpty else { throw TopicError.invalidParameter("AWSAccountId") }
        guard !actions.isEmpty else { throw TopicError.invalidParameter("ActionName") }
        for action in actions where !(action == "*" || TopicAttributes.actionNames.contains(action)) {
            throw TopicError.invalidParameter("ActionName", reason: "Policy statement action out of service scope!")
        }
        let current = topic.attributes["Policy"] ?? TopicPolicyDocument.defaultPolicy(topicArn: arn, accountId: addressing.accountId)
        topic.attributes["Policy"] = try TopicPolicyDocument.adding(label: label, accounts: accounts, actions: actions, topicArn: arn, to: current)
        try await save(topic)
    }

    public func removePermission(_ arn: String, label: String) async throws {
        var topic = try topic(arn)
        let current = topic.attributes["Policy"] ?? TopicPolicyDocument.defaultPolicy(topicArn: arn, accountId: addressing.accountId)
        topic.attributes["Policy"] = try TopicPolicyDocument.removing(label: label, from: current)
        try await save(topic)
    }

    /// The topic's policy as its resource policy (the default when none was set).
    public func policy(of arn: String) -> String? {
        guard let topic = topics[arn] else { return nil }
        return topic.attributes["Policy"] ?? TopicPolicyDocument.defaultPolicy(topicArn: arn, accountId: addressing.accountId)
    }

    // MARK: Tags

    func taggedTopic(_ arn: String) throws(TopicError) -> Topic {
        guard TopicAddressing.topicName(fromARN: arn) != nil else { throw .invalidParameter("ResourceArn") }
        guard let topic = topics[arn] else { throw .resourceNotFound("Resource does not exist") }
        return topic
    }

    public func tags(of arn: String) throws(TopicError) -> [String: String] {
        try taggedTopic(arn).tags
    }

    public func tag(_ arn: String, _ tags: [String: String]) async throws {
        var topic = try taggedTopic(arn)
        try TopicTags.validate(tags)
        topic.tags.merge(tags) { $1 }
        guard topic.tags.count <= TopicTags.maxTags else {
            throw TopicError(code: "TagLimitExceeded", status: 400, message: "Could not complete request: tag quota of per resource exceeded")
        }
        try await save(topic)
    }

    public func untag(_ arn: String, keys: [String]) async throws {
        var topic = try taggedTopic(arn)
        for key in keys { topic.tags[key] = nil }
        try await save(topic)
    }
}
