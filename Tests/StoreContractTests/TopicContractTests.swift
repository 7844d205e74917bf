import Foundation
import Testing
import Topics

extension StoreContract {
    /// SNS topics and subscriptions.
    @Suite struct Topics {
        static func topic(_ name: String, attributes: [String: String] = [:]) -> Topic {
            Topic(arn: "arn:aws:sns:us-east-1:000000000000:\(name)", name: name, attributes: attributes, tags: ["t": "1"], createdAt: 1_700_000_000_000)
        }

        static func subscription(_ id: String, of topic: String, pending: Bool = false) -> Subscription {
            Subscription(arn: "arn:aws:sns:us-east-1:000000000000:\(topic):\(id)", topicArn: "arn:aws:sns:us-east-1:000000000000:\(topic)",
                         protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:q", owner: "000000000000",
                         attributes: ["RawMessageDelivery": "true"], pendingConfirmation: pending, token: pending ? "tok" : nil,
                         tokenIssuedAt: pending ? 5 : nil, confirmationWasAuthenticated: false)
        }

        @Test(arguments: StoreKind.allCases) func topicsAndSubscriptionsAreSavedLoadedDeleted(kind: StoreKind) async throws {
            try await kind.withStoreServing((any TopicStore).self) { store in
                let empty = try await store.loadTopics()
                #expect(empty.topics.isEmpty && empty.subscriptions.isEmpty)
                try await store.saveTopic(Self.topic("a"))
                try await store.saveTopic(Self.topic("b"))
                let fifo = Self.topic("a", attributes: ["DisplayName": "A"])
                try await store.saveTopic(fifo)
                try await store.saveSubscription(Self.subscription("1", of: "a", pending: true))
                try await store.saveSubscription(Self.subscription("2", of: "a"))
                try await store.saveSubscription(Self.subscription("3", of: "b"))
                try await store.saveSubscription(Self.subscription("1", of: "a"))
                var loaded = try await store.loadTopics()
                #expect(Set(loaded.topics.map(\.arn)) == [Self.topic("a").arn, Self.topic("b").arn])
                #expect(loaded.topics.first { $0.name == "a" } == fifo)
                #expect(loaded.subscriptions.count == 3)
                #expect(loaded.subscriptions.first { $0.arn.hasSuffix(":a:1") } == Self.subscription("1", of: "a"))

                try await store.deleteSubscription(Self.subscription("2", of: "a").arn)
                try await store.deleteSubscription("arn:aws:sns:us-east-1:000000000000:a:missing")
                loaded = try await store.loadTopics()
                #expect(Set(loaded.subscriptions.map(\.arn)) == [Self.subscription("1", of: "a").arn, Self.subscription("3", of: "b").arn])

                // A topic goes with its subscriptions.
                try await store.deleteTopic(Self.topic("a").arn)
                loaded = try await store.loadTopics()
                #expect(loaded.topics == [Self.topic("b")])
                #expect(loaded.subscriptions == [Self.subscription("3", of: "b")])
            }
        }
    }
}
