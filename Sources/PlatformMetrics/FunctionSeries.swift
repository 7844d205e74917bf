import Prometheus

/// The invocation series of one function resource (as invoked: unqualified, a version or an alias) and the version
/// that ran, created once and then recorded into without building labels.
public final class FunctionSeries: Sendable {
    public let function: String
    /// AWS's `Resource` dimension: the function's name, or `name:qualifier` when the caller named one.
    public let resource: String
    /// The version that ran (AWS's `ExecutedVersion`).
    public let version: String

    public let invocations: Counter
    public let functionErrors: Counter
    public let platformErrors: Counter
    public let throttles: Counter
    public let coldStarts: Counter
    /// Seconds.
    public let duration: ValueHistogram
    /// Seconds.
    public let initDuration: ValueHistogram

    init(registry: PrometheusCollectorRegistry, function: String, resource: String, version: String) {
        self.function = function
        self.resource = resource
        self.version = version
        let labels = [("function", function), ("resource", resource), ("version", version)]
        invocations = registry.makeCounter(descriptor: MetricNames.invocations.descriptor, labels: labels)
        functionErrors = registry.makeCounter(descriptor: MetricNames.errors.descriptor, labels: labels + [("kind", "function")])
        platformErrors = registry.makeCounter(descriptor: MetricNames.errors.descriptor, labels: labels + [("kind", "platform")])
        throttles = registry.makeCounter(descriptor: MetricNames.throttles.descriptor, labels: labels)
        coldStarts = registry.makeCounter(descriptor: MetricNames.coldStarts.descriptor, labels: labels)
        duration = registry.makeValueHistogram(descriptor: MetricNames.duration.descriptor, labels: labels,
                                               buckets: HistogramBuckets.invocationSeconds)
        initDuration = registry.makeValueHistogram(descriptor: MetricNames.initDuration.descriptor, labels: labels,
                                                   buckets: HistogramBuckets.initSeconds)
    }

    /// `Resource` of an invoked function ARN (`arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`): the
    /// name, with `:qualifier` when there is one; the whole string when it is no such ARN.
    public static func resource(ofInvokedARN arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
        guard parts.count == 7, parts[5] == "function" else { return arn }
        return String(parts[6])
    }
}
