import Prometheus
import Synchronization

/// A gauge family whose series are facts of the platform's state (environments, queue depths), set when `/metrics` is
/// scraped rather than on every change: each `publish` replaces the family's series, so one that is gone (a deleted
/// queue, a function with no environments left) disappears from the next scrape.
public final class StateGauge: Sendable {
    let family: MetricNames.Family
    /// Label names, in the order `publish` gives their values.
    let labelNames: [String]
    private let registry: PrometheusCollectorRegistry
    private let series = Mutex<[[String]: Gauge]>([:])

    init(registry: PrometheusCollectorRegistry, family: MetricNames.Family, labelNames: [String]) {
        self.registry = registry
        self.family = family
        self.labelNames = labelNames
    }

    /// Makes `values` (label values in `labelNames` order → value) the family's series.
    public func publish(_ values: [[String]: Double]) {
        series.withLock { current in
            for (labels, value) in values {
                if let gauge = current[labels] {
                    gauge.set(to: value)
                } else {
                    precondition(labels.count == labelNames.count, "\(family.name) takes labels \(labelNames)")
                    let gauge = registry.makeGauge(descriptor: family.descriptor, labels: Array(zip(labelNames, labels)))
                    gauge.set(to: value)
                    current[labels] = gauge
                }
            }
            for (labels, gauge) in current where values[labels] == nil {
                registry.unregisterGauge(gauge)
                current[labels] = nil
            }
        }
    }
}
