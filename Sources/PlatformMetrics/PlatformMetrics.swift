import Prometheus
import Synchronization

/// Swiftlet's metrics: one Prometheus registry, the families the platform's parts record into, and the collectors
/// that compute state gauges when `/metrics` is scraped. The server makes one and passes it down; tests make their own.
public final class PlatformMetrics: Sendable {
    /// The content type of `exposition()`: Prometheus' text format 0.0.4.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public let registry: PrometheusCollectorRegistry
    /// Per-function invocation counters and histograms.
    public let invocations: InvocationMetrics
    /// The API listener's requests by service, operation and status.
    public let http: RequestMetrics
    /// Function URLs' and HTTP APIs' requests by endpoint kind and status.
    public let ingress: RequestMetrics
    private let collectors = Mutex<[@Sendable () async -> Void]>([])
    private let observers = Mutex<(any InvocationObserver)?>(nil)

    /// Told of every invocation as it is counted (set once while the server is wired).
    public var observer: (any InvocationObserver)? {
        get { observers.withLock { $0 } }
        set { observers.withLock { $0 = newValue } }
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        invocations = InvocationMetrics(registry: registry)
        http = RequestMetrics(registry: registry, requests: MetricNames.httpRequests, duration: MetricNames.httpRequestDuration,
                              labelNames: ["service", "operation"])
        ingress = RequestMetrics(registry: registry, requests: MetricNames.ingressRequests,
                                 duration: MetricNames.ingressRequestDuration, labelNames: ["kind"])
    }

    /// Records the duration of each statement the store runs (set as the store's statement observer).
    public func storeStatementTimer() -> @Sendable (Double) -> Void {
        let histogram = registry.makeValueHistogram(descriptor: MetricNames.storeStatementDuration.descriptor, labels: [],
                                                    buckets: HistogramBuckets.storeSeconds)
        return { seconds in histogram.record(seconds) }
    }

    /// A swift-metrics factory recording into this registry (`MetricsSystem.bootstrap(metrics.factory)`), so
    /// libraries that report through swift-metrics appear on the same scrape.
    public var factory: PrometheusMetricsFactory { PrometheusMetricsFactory(registry: registry) }

    /// A gauge family set by a collector at each scrape; `labelNames` in the order its values are published.
    public func stateGauge(_ family: MetricNames.Family, labelNames: [String]) -> StateGauge {
        StateGauge(registry: registry, family: family, labelNames: labelNames)
    }

    /// Adds work done before each scrape is rendered: reading state and publishing it into state gauges.
    public func addCollector(_ collect: @escaping @Sendable () async -> Void) {
        collectors.withLock { $0.append(collect) }
    }

    /// Runs the collectors, then renders every series in the text exposition format.
    public func exposition() async -> [UInt8] {
        for collect in collectors.withLock({ $0 }) {
            await collect()
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return buffer
    }
}
