import Foundation

/// CloudWatch metrics as operations: publishing (PutMetricData's rules), statistics over periods, listing.
/// Wire-independent; the API module maps shapes onto it.
public final class MetricsDirectory: Sendable {
    public let recorder: MetricRecorder
    let store: any MetricStore
    let clock: @Sendable () -> Double

    public init(recorder: MetricRecorder, store: any MetricStore, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.recorder = recorder
        self.store = store
        self.clock = clock
    }

    public var now: Double { clock() }

    // MARK: Reading

    /// The aggregates of each period of `query` in [start, end) (epoch seconds, start already aligned), only
    /// periods that hold data, in time order.
    public func periods(_ query: MetricQuery, start: Int64, end: Int64) async throws -> [PeriodAggregate] {
        try await recorder.flush()
        guard end > start, let resolution = RetentionSchedule.source(period: query.period, start: start, now: Int64(now)) else { return [] }
        let points = try await store.metricPoints(of: query.identity, resolution: resolution, from: start, to: end, unit: query.unit,
                                                  sketches: query.percentiles)
        // Points come in time order: consecutive points of one period are added up in place.
        var periods: [PeriodAggregate] = []
        periods.reserveCapacity(points.count)
        let period = Int64(query.period)
        for point in points {
            let bucket = start + (point.start - start) / period * period
            if let last = periods.indices.last, periods[last].start == bucket {
                periods[last].aggregate.merge(point.aggregate)
                if periods[last].unit != point.unit { periods[last].unit = nil }
            } else {
                periods.append(PeriodAggregate(start: bucket, aggregate: point.aggregate, unit: point.unit))
            }
        }
        return periods
    }

    /// Where a query's periods begin: CloudWatch rounds the start down to the minute (or, for periods under a
    /// minute, to a multiple of the period within the minute).
    public static func alignedStart(_ seconds: Double, period: Int) -> Int64 {
        let s = Int64(seconds.rounded(.down))
        let unit = Int64(period < 60 ? period : 60)
        return s >= 0 ? s / unit * unit : ((s - unit + 1) / unit) * unit
    }

    /// Metrics with data in the last two weeks (or `recentlyActiveSeconds`), filtered as ListMetrics filters.
    public func list(namespace: String?, name: String?, dimensions: [(name: String, value: String?)],
                     recentlyActiveSeconds: Int64? = nil) async throws -> [MetricIdentity] {
        try await recorder.flush()
        let since = Int64(now) - (recentlyActiveSeconds ?? 14 * 86_400)
        let stored = try await store.storedMetrics(namespace: namespace, name: name, activeSince: since)
        return stored.map(\.identity).filter { metric in
            dimensions.allSatisfy { filter in
                metric.dimensions.contains { $0.name == filter.name && (filter.value == nil || $0.value == filter.value) }
            }
        }.sorted { ($0.namespace, $0.name, $0.key) < ($1.namespace, $1.name, $1.key) }
    }

    // MARK: Validation shared by the operations

    /// Period: 1, 5, 10, 20 (not documented for all), 30, or a multiple of 60.
    public static func checkPeriod(_ period: Int, field: String = "Period") throws(MetricsError) {
        guard period >= 1 else {
            throw .invalidParameterValue("The parameter \(field) must be greater than 0.")
        }
        guard [1, 5, 10, 20, 30].contains(period) || period % 60 == 0 else {
            throw .invalidParameterValue("The parameter \(field) must be a multiple of 60 or one of 1, 5, 10, 20, 30.")
        }
    }

    public static func checkNamespace(_ namespace: String, publishing: Bool) throws(MetricsError) {
        guard !namespace.isEmpty, namespace.count <= 255 else {
            throw .invalidParameterValue("The parameter Namespace must be between 1 and 255 characters long.")
        }
        guard !namespace.hasPrefix(":"), namespace.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else {
            throw .invalidParameterValue("The value \(namespace) for parameter Namespace is invalid.")
        }
        if publishing, namespace.hasPrefix("AWS/") {
            throw .invalidParameterValue("The value AWS/ for parameter Namespace is invalid.")
        }
    }

    public static func checkDimensions(_ dimensions: [MetricDimension], field: String) throws(MetricsError) {
        guard dimensions.count <= 30 else {
            throw .invalidParameterValue("The collection \(field) must not have a size greater than 30.")
        }
        var seen: Set<String> = []
        for (i, d) in dimensions.enumerated() {
            guard !d.name.isEmpty, d.name.count <= 255 else {
                throw .invalidParameterValue("The parameter \(field).member.\(i + 1).Name must be between 1 and 255 characters long.")
            }
            guard !d.value.isEmpty, d.value.count <= 1024 else {
                throw .invalidParameterValue("The parameter \(field).member.\(i + 1).Value must be between 1 and 1024 characters long.")
            }
            guard seen.insert(d.name).inserted else {
                throw .invalidParameterValue("No metric may have duplicate dimension names: \(d.name) appears in \(field) twice.")
            }
        }
    }

    public static func checkUnit(_ unit: String?, field: String) throws(MetricsError) {
        if let unit, !StandardUnit.all.contains(unit) {
            throw .invalidParameterValue("The parameter \(field) must be a value in the set [ \(StandardUnit.all.sorted().joined(separator: ", ")) ].")
        }
    }
}
