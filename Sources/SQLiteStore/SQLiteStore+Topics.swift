import Foundation
import GRDB
import Topics

extension SQLiteStore: TopicStore {
    public func loadTopics() async throws -> (topics: [Topic], subscriptions: [Subscription]) {
        try await pool.read { db in
            let topics = try Data.fetchAll(db, sql: "SELECT definition FROM sns_topics").map { try Self.decode(Topic.self, $0) }
            let subscriptions = try Data.fetchAll(db, sql: "SELECT definition FROM sns_subscriptions")
                .map { try Self.decode(Subscription.self, $0) }
            return (topics, subscriptions)
        }
    }

    public func saveTopic(_ topic: Topic) async throws {
        let data = try Self.encode(topic)
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO sns_topics (arn, definition) VALUES (?, ?)", arguments: [topic.arn, data])
        }
    }

    public func deleteTopic(_ arn: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sns_subscriptions WHERE topic_arn = ?", arguments: [arn])
            try db.execute(sql: "DELETE FROM sns_topics WHERE arn = ?", arguments: [arn])
        }
    }

    public func saveSubscription(_ subscription: Subscription) async throws {
        let data = try Self.encode(subscription)
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO sns_subscriptions (arn, topic_arn, definition) VALUES (?, ?, ?)",
                           arguments: [subscription.arn, subscription.topicArn, data])
        }
    }

    public func deleteSubscription(_ arn: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM sns_subscriptions WHERE arn = ?", arguments: [arn])
        }
    }
}
