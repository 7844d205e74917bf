/// Something else that wants to know of every invocation the Prometheus series count (CloudWatch's AWS/Lambda
/// metrics). Called on the invocation path: implementations must be quick and never block.
public protocol InvocationObserver: Sendable {
    /// An invocation took a concurrency slot (it counts as an invocation).
    func invoked(_ series: FunctionSeries)
    /// An invocation found no concurrency slot.
    func throttled(_ series: FunctionSeries)
    /// An invocation ended after `seconds` of function time (its initialisation left out), with a function or
    /// platform error or not.
    func finished(_ series: FunctionSeries, seconds: Double, error: Bool)
    /// An invocation of a version or alias that has provisioned concurrency ran on one of its provisioned
    /// environments (`provisioned`), or on standard concurrency because all of them were busy; `busy` of `allocated`
    /// provisioned environments were processing events as it started.
    func usedProvisionedConcurrency(_ series: FunctionSeries, provisioned: Bool, busy: Int, allocated: Int)
}

extension InvocationObserver {
    public func usedProvisionedConcurrency(_ series: FunctionSeries, provisioned: Bool, busy: Int, allocated: Int) {}
}
