/// CloudWatch's provisioned-concurrency metrics for invocations through a version or alias that has provisioned
/// concurrency: whether the invocation ran on one of its environments or spilled over to standard concurrency, and how
/// many of them were busy.
extension Invoker {
    func reportProvisionedUse(_ request: InvocationRequest, env: ExecutionEnvironment, meter: InvocationMeter) {
        // On every invocation: nothing is read off the ARN unless some qualifier has provisioned concurrency.
        guard let observer = meter.observer, provisioned.withLock({ !$0.isEmpty }) else { return }
        let parts = request.invokedFunctionArn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 8 else { return }
        let key = Self.provisionKey(request.function.name, String(parts[7]))
        guard let allocation = provisioned.withLock({ $0[key] }) else { return }
        let others = allocation.liveEnvironments.filter { $0 !== env && $0.state.withLock { $0.pending != nil } }.count
        let onProvisioned = env.settings.provisioned
        observer.usedProvisionedConcurrency(meter.series, provisioned: onProvisioned, busy: others + (onProvisioned ? 1 : 0),
                                            allocated: allocation.requested)
    }
}
