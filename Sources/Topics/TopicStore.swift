/// Persistence of topics and subscriptions. The broker keeps them in memory and writes every change through.
public protocol TopicStore: Sendable {
    /// Everything stored, at start.
    func loadTopics() async throws -> (topics: [Topic], subscriptions: [Subscription])
    /// Inserts or replaces a topic.
    func saveTopic(_ topic: Topic) async throws
    /// Removes a topic and its subscriptions (one transaction).
    func deleteTopic(_ arn: String) async throws
    /// Inserts or replaces a subscription.
    func saveSubscription(_ subscription: Subscription) async throws
    func deleteSubscription(_ arn: String) async throws
}
