import CloudWatchLogs
import Foundation
import PostgresNIO

/// Metric filters, one JSON document per log group and filter name.
extension PostgresStore: MetricFilterStore {
    public func putMetricFilter(_ filter: MetricFilter) async throws {
        let document = try Self.encode(filter)
        try await client.query("""
            INSERT INTO log_metric_filters (log_group, name, document) VALUES (\(filter.logGroupName), \(filter.filterName), \(document))
            ON CONFLICT (log_group, name) DO UPDATE SET document = excluded.document
            """, logger: logger)
    }

    public func deleteMetricFilter(group: String, name: String) async throws -> Bool {
        try await !rows("DELETE FROM log_metric_filters WHERE log_group = \(group) AND name = \(name) RETURNING 1").isEmpty
    }

    public func metricFilters() async throws -> [MetricFilter] {
        try await rows("SELECT document FROM log_metric_filters ORDER BY log_group, name")
            .map { try Self.decode(MetricFilter.self, try $0.decode(Data.self)) }
    }
}
