import Foundation
import PostgresNIO
import Topics

/// SNS topics and subscriptions, each its definition as JSON (the broker keeps them in memory and writes through).
extension PostgresStore: TopicStore {
    public func loadTopics() async throws -> (topics: [Topic], subscriptions: [Subscription]) {
        try await transaction { db in
            // One snapshot of both (REPEATABLE READ): no subscription of a topic deleted between the two reads.
            try await db.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            let topics = try await db.rows("SELECT definition FROM sns_topics ORDER BY arn", logger)
                .map { try Self.decode(Topic.self, try $0.decode(Data.self)) }
            let subscriptions = try await db.rows("SELECT definition FROM sns_subscriptions ORDER BY arn", logger)
                .map { try Self.decode(Subscription.self, try $0.decode(Data.self)) }
            return (topics, subscriptions)
        }
    }

    public func saveTopic(_ topic: Topic) async throws {
        let blob = try Self.encode(topic)
        try await client.query("""
            INSERT INTO sns_topics (arn, definition) VALUES (\(topic.arn), \(blob)) ON CONFLICT (arn) DO UPDATE SET definition = excluded.definition
            """, logger: logger)
    }

    public func deleteTopic(_ arn: String) async throws {
        try await transaction { db in
            try await db.query("DELETE FROM sns_subscriptions WHERE topic_arn = \(arn)", logger: logger)
            try await db.query("DELETE FROM sns_topics WHERE arn = \(arn)", logger: logger)
        }
    }

    public func saveSubscription(_ subscription: Subscription) async throws {
        let blob = try Self.encode(subscription)
        try await client.query("""
            INSERT INTO sns_subscriptions (arn, topic_arn, definition) VALUES (\(subscription.arn), \(subscription.topicArn), \(blob))
            ON CONFLICT (arn) DO UPDATE SET topic_arn = excluded.topic_arn, definition = excluded.definition
            """, logger: logger)
    }

    public func deleteSubscription(_ arn: String) async throws {
        try await client.query("DELETE FROM sns_subscriptions WHERE arn = \(arn)", logger: logger)
    }
}
