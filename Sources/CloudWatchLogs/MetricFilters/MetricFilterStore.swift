/// Persistence of metric filters (one row per group and filter name).
public protocol MetricFilterStore: Sendable {
    func putMetricFilter(_ filter: MetricFilter) async throws
    func deleteMetricFilter(group: String, name: String) async throws -> Bool
    func metricFilters() async throws -> [MetricFilter]
}
