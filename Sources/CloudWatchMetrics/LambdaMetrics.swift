/// The AWS/Lambda metrics of one function resource as Lambda publishes them: account-wide (no dimension), by
/// `FunctionName`, by `FunctionName` + `Resource` (the function, `name:version` or `name:alias`), and, for an
/// alias, by `FunctionName` + `ExecutedVersion`.
public struct LambdaMetrics: Sendable {
    public static let namespace = "AWS/Lambda"

    public let invocations: [MetricIdentity]
    public let errors: [MetricIdentity]
    public let duration: [MetricIdentity]
    public let throttles: [MetricIdentity]
    /// Provisioned concurrency's metrics, by `FunctionName` and by `FunctionName` + `Resource` (Lambda publishes them for
    /// the version or alias that has it).
    public let provisionedConcurrentExecutions: [MetricIdentity]
    public let provisionedConcurrencyUtilization: [MetricIdentity]
    public let provisionedConcurrencyInvocations: [MetricIdentity]
    public let provisionedConcurrencySpilloverInvocations: [MetricIdentity]

    public init(function: String, resource: String, executedVersion: String) {
        var sets: [[MetricDimension]] = [[], [MetricDimension(name: "FunctionName", value: function)]]
        sets.append([MetricDimension(name: "FunctionName", value: function), MetricDimension(name: "Resource", value: resource)])
        if let colon = resource.firstIndex(of: ":") {
            let qualifier = resource[resource.index(after: colon)...]
            if !qualifier.allSatisfy(\.isNumber) && qualifier != "$LATEST" {
                sets.append([MetricDimension(name: "FunctionName", value: function),
                             MetricDimension(name: "ExecutedVersion", value: executedVersion)])
            }
        }
        func named(_ name: String, in dimensionSets: [[MetricDimension]]? = nil) -> [MetricIdentity] {
            (dimensionSets ?? sets).map { MetricIdentity(namespace: Self.namespace, name: name, dimensions: $0) }
        }
        invocations = named("Invocations")
        errors = named("Errors")
        duration = named("Duration")
        throttles = named("Throttles")
        // By function and by the function's version or alias (sets[1] and sets[2]).
        let provisioned = Array(sets[1...2])
        provisionedConcurrentExecutions = named("ProvisionedConcurrentExecutions", in: provisioned)
        provisionedConcurrencyUtilization = named("ProvisionedConcurrencyUtilization", in: provisioned)
        provisionedConcurrencyInvocations = named("ProvisionedConcurrencyInvocations", in: provisioned)
        provisionedConcurrencySpilloverInvocations = named("ProvisionedConcurrencySpilloverInvocations", in: provisioned)
    }

    /// `ConcurrentExecutions` of one function (nil: account-wide), and `UnreservedConcurrentExecutions`.
    public static func concurrentExecutions(function: String?) -> MetricIdentity {
        MetricIdentity(namespace: namespace, name: "ConcurrentExecutions",
                       dimensions: function.map { [MetricDimension(name: "FunctionName", value: $0)] } ?? [])
    }

    public static let unreservedConcurrentExecutions = MetricIdentity(namespace: namespace, name: "UnreservedConcurrentExecutions", dimensions: [])
}

extension LambdaMetrics {
    /// An asynchronous-invocation metric of a function (and of its `Resource` when invoked with a qualifier), and
    /// account-wide.
    public static func asyncMetric(_ name: String, function: String, qualifier: String?) -> [MetricIdentity] {
        var sets: [[MetricDimension]] = [[], [MetricDimension(name: "FunctionName", value: function)]]
        sets.append([MetricDimension(name: "FunctionName", value: function),
                     MetricDimension(name: "Resource", value: qualifier.map { "\(function):\($0)" } ?? function)])
        return sets.map { MetricIdentity(namespace: namespace, name: name, dimensions: $0) }
    }
}
