import Delivery
import Logging
import Synchronization
@testable import Topics

/// Topics and subscriptions in memory.
final class MemoryTopicStore: TopicStore, Sendable {
    let state = Mutex<(topics: [String: Topic], subscriptions: [String: Subscription])>(([:], [:]))

    func loadTopics() async throws -> (topics: [Topic], subscriptions: [Subscription]) {
        state.withLock { (Array($0.topics.values), Array($0.subscriptions.values)) }
    }
    func saveTopic(_ topic: Topic) async throws { state.withLock { $0.topics[topic.arn] = topic } }
    func deleteTopic(_ arn: String) async throws {
        state.withLock { s in
            s.topics[arn] = nil
            s.subscriptions = s.subscriptions.filter { $0.value.topicArn != arn }
        }
    }
    func saveSubscription(_ subscription: Subscription) async throws { state.withLock { $0.subscriptions[subscription.arn] = subscription } }
    func deleteSubscription(_ arn: String) async throws { _ = state.withLock { $0.subscriptions.removeValue(forKey: arn) } }
}

/// A delivery store that only records what was accepted (nothing is ever claimed).
final class RecordingDeliveryStore: DeliveryStore, Sendable {
    let accepted = Mutex<[[Delivery]]>([])

    func enqueueDeliveries(_ deliveries: [Delivery]) async throws { accepted.withLock { $0.append(deliveries) } }
    func claimDueDeliveries(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [Delivery] { [] }
    func rescheduleDelivery(_ id: String, attempts: Int, dueAt: Int64) async throws {}
    func finishDeliveries(_ ids: [String]) async throws {}
    func releaseDeliveryLeases() async throws {}
    func nextDeliveryDue() async throws -> Int64? { nil }
    func pendingDeliveryCount() async throws -> Int { 0 }

    var batches: [[Delivery]] { accepted.withLock { $0 } }
    var all: [Delivery] { batches.flatMap { $0 } }
}

struct BrokerFixture {
    let topics = MemoryTopicStore()
    let deliveries = RecordingDeliveryStore()
    let broker: TopicBroker

    init() {
        let service = DeliveryService(store: deliveries, router: DeliveryRouter(), logger: Logger(label: "test"))
        broker = TopicBroker(store: topics, deliveries: service, addressing: TopicAddressing(region: "us-east-1", accountId: "000000000000"),
                             logger: Logger(label: "test"))
    }
}
