import Prometheus
import Synchronization

/// Request counters by a few labels and a latency histogram by the same labels less `status`, for the platform's
/// listeners. Series are created on first use of a label combination and found by a dictionary lookup afterwards.
/// Labels can come from what a client sent (an operation name), so the combinations are capped: past `maxSeries`,
/// new ones are counted under `other`.
public final class RequestMetrics: Sendable {
    private struct Series: Sendable {
        let requests: Counter
        let duration: ValueHistogram
    }

    private let registry: PrometheusCollectorRegistry
    private let requests: MetricNames.Family
    private let duration: MetricNames.Family
    /// Label names of the duration histogram; the counter adds `status`.
    private let labelNames: [String]
    private let series = Mutex<[[String]: Series]>([:])
    let maxSeries: Int

    init(registry: PrometheusCollectorRegistry, requests: MetricNames.Family, duration: MetricNames.Family, labelNames: [String],
         maxSeries: Int = 2000) {
        self.registry = registry
        self.requests = requests
        self.duration = duration
        self.labelNames = labelNames
        self.maxSeries = maxSeries
    }

    /// Counts one request answered with `status` after `seconds`; `labels` are the values of the family's labels.
    public func record(_ labels: [String], status: Int, seconds: Double) {
        var key = labels
        key.append(String(status))
        let found = series.withLock { $0[key] } ?? makeSeries(key)
        found.requests.increment()
        found.duration.record(seconds)
    }

    private func makeSeries(_ requested: [String]) -> Series {
        let full = series.withLock { $0.count >= maxSeries }
        let key = full ? labelNames.map { _ in "other" } + [requested[requested.count - 1]] : requested
        if full, let overflow = series.withLock({ $0[key] }) { return overflow }
        let labels = Array(zip(labelNames, key.dropLast()))
        let made = Series(
            requests: registry.makeCounter(descriptor: requests.descriptor, labels: labels + [("status", key[key.count - 1])]),
            duration: registry.makeValueHistogram(descriptor: duration.descriptor, labels: labels, buckets: HistogramBuckets.requestSeconds))
        return series.withLock { all in
            if let raced = all[key] { return raced }
            all[key] = made
            return made
        }
    }
}
