import CloudWatchLogs
import Foundation
import PostgresNIO

/// Subscription filters, one JSON document per log group and filter name.
extension PostgresStore: SubscriptionFilterStore {
    public func putSubscriptionFilter(_ filter: SubscriptionFilter) async throws {
        let document = try Self.encode(filter)
        try await client.query("""
            INSERT INTO log_subscription_filters (log_group, name, document) VALUES (\(filter.logGroupName), \(filter.filterName), \(document))
            ON CONFLICT (log_group, name) DO UPDATE SET document = excluded.document
            """, logger: logger)
    }

    public func deleteSubscriptionFilter(group: String, name: String) async throws -> Bool {
        try await !rows("DELETE FROM log_subscription_filters WHERE log_group = \(group) AND name = \(name) RETURNING 1").isEmpty
    }

    public func subscriptionFilters() async throws -> [SubscriptionFilter] {
        try await rows("SELECT document FROM log_subscription_filters ORDER BY log_group, name")
            .map { try Self.decode(SubscriptionFilter.self, try $0.decode(Data.self)) }
    }
}
