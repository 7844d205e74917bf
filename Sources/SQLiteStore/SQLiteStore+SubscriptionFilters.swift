import CloudWatchLogs
import Foundation
import GRDB

extension SQLiteStore: SubscriptionFilterStore {
    public func putSubscriptionFilter(_ filter: SubscriptionFilter) async throws {
        let document = try Self.encode(filter)
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO log_subscription_filters (log_group, name, document) VALUES (?, ?, ?)",
                           arguments: [filter.logGroupName, filter.filterName, document])
        }
    }

    public func deleteSubscriptionFilter(group: String, name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM log_subscription_filters WHERE log_group = ? AND name = ?", arguments: [group, name])
            return db.changesCount > 0
        }
    }

    public func subscriptionFilters() async throws -> [SubscriptionFilter] {
        let rows = try await pool.read { db in try Data.fetchAll(db, sql: "SELECT document FROM log_subscription_filters") }
        return try rows.map { try Self.decode(SubscriptionFilter.self, $0) }
    }
}
