import Foundation
import Synchronization

/// The metric filters in force, by log group (read at start, replaced on every write), and where their values go.
/// Applying them to events stored is off the invocation path (the log writer's batches, PutLogEvents' requests).
public final class MetricFilterSet: Sendable {
    private let byGroup = Mutex<[String: [CompiledMetricFilter]]>([:])
    private let sink = Mutex<(@Sendable ([ExtractedMetric]) -> Void)?>(nil)

    public init() {}

    /// Where extracted values go (the metrics recorder; set once while the server is wired).
    public func publish(to sink: @escaping @Sendable ([ExtractedMetric]) -> Void) {
        self.sink.withLock { $0 = sink }
    }

    func replace(with filters: [MetricFilter]) {
        var grouped: [String: [CompiledMetricFilter]] = [:]
        for filter in filters {
            if let compiled = try? CompiledMetricFilter(filter) { grouped[filter.logGroupName, default: []].append(compiled) }
        }
        byGroup.withLock { $0 = grouped }
    }

    public var isEmpty: Bool { byGroup.withLock { $0.isEmpty } }

    /// Runs the group's filters over events (message, timestamp in ms) and publishes what they extract. A
    /// transformation with a `defaultValue` publishes it for each event that does not match.
    public func apply(group: String, events: [(message: String, timestampMs: Int64)]) {
        guard let filters = byGroup.withLock({ $0[group] }), !filters.isEmpty else { return }
        var out: [ExtractedMetric] = []
        for filter in filters {
            guard let t = filter.filter.metricTransformations.first else { continue }
            for event in events {
                if let (value, dims) = filter.extract(event.message) {
                    out.append(ExtractedMetric(namespace: t.metricNamespace, name: t.metricName, value: value, unit: t.unit ?? "None",
                                               dimensions: dims, timestampMs: event.timestampMs))
                } else if let defaultValue = t.defaultValue {
                    out.append(ExtractedMetric(namespace: t.metricNamespace, name: t.metricName, value: defaultValue,
                                               unit: t.unit ?? "None", dimensions: [:], timestampMs: event.timestampMs))
                }
            }
        }
        if !out.isEmpty { sink.withLock { $0 }?(out) }
    }
}
