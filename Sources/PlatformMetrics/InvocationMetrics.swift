import Prometheus
import Synchronization

/// Per-function invocation series, looked up by the invoked ARN and executed version. The first invocation of a pair
/// creates its series (labels built once); every later one finds them in a dictionary behind a lock.
public final class InvocationMetrics: Sendable {
    private struct Key: Hashable, Sendable {
        var invokedARN: String
        var version: String
    }

    private let registry: PrometheusCollectorRegistry
    private let series = Mutex<[Key: FunctionSeries]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// The series of `function` invoked as `invokedARN`, running `version`.
    public func series(function: String, invokedARN: String, version: String) -> FunctionSeries {
        let key = Key(invokedARN: invokedARN, version: version)
        if let found = series.withLock({ $0[key] }) { return found }
        let created = FunctionSeries(registry: registry, function: function,
                                     resource: FunctionSeries.resource(ofInvokedARN: invokedARN), version: version)
        return series.withLock { all in
            if let raced = all[key] { return raced }
            all[key] = created
            return created
        }
    }
}
