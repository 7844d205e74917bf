import CloudWatchMetrics
import Foundation
import Invoker
import PlatformMetrics
import ServiceLifecycle
import Synchronization

/// Records Lambda's invocations into CloudWatch's AWS/Lambda metrics (Invocations, Errors, Duration, Throttles by
/// the dimension sets Lambda uses). The metric identities of a function series are built once and cached.
final class LambdaMetricsObserver: InvocationObserver {
    let recorder: MetricRecorder
    private let cache = Mutex<[ObjectIdentifier: LambdaMetrics]>([:])

    init(recorder: MetricRecorder) {
        self.recorder = recorder
    }

    private func metrics(_ series: FunctionSeries) -> LambdaMetrics {
        let id = ObjectIdentifier(series)
        if let found = cache.withLock({ $0[id] }) { return found }
        let made = LambdaMetrics(function: series.function, resource: series.resource, executedVersion: series.version)
        cache.withLock { $0[id] = made }
        return made
    }

    private static var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    func invoked(_ series: FunctionSeries) {
        recorder.record(metrics(series).invocations.map { .init(identity: $0, value: 1, unit: "Count") }, timestampMs: Self.nowMs)
    }

    func throttled(_ series: FunctionSeries) {
        recorder.record(metrics(series).throttles.map { .init(identity: $0, value: 1, unit: "Count") }, timestampMs: Self.nowMs)
    }

    func finished(_ series: FunctionSeries, seconds: Double, error: Bool) {
        let m = metrics(series)
        var samples = m.duration.map { MetricRecorder.Sample(identity: $0, value: seconds * 1000, unit: "Milliseconds") }
        samples += m.errors.map { MetricRecorder.Sample(identity: $0, value: error ? 1 : 0, unit: "Count") }
        recorder.record(samples, timestampMs: Self.nowMs)
    }

    /// ProvisionedConcurrencyInvocations or -SpilloverInvocations (Sum), and the busy provisioned environments as
    /// ProvisionedConcurrentExecutions and their share of the allocation as ProvisionedConcurrencyUtilization (Maximum).
    func usedProvisionedConcurrency(_ series: FunctionSeries, provisioned: Bool, busy: Int, allocated: Int) {
        let m = metrics(series)
        var samples = (provisioned ? m.provisionedConcurrencyInvocations : m.provisionedConcurrencySpilloverInvocations)
            .map { MetricRecorder.Sample(identity: $0, value: 1, unit: "Count") }
        samples += m.provisionedConcurrentExecutions.map { MetricRecorder.Sample(identity: $0, value: Double(busy), unit: "Count") }
        if allocated > 0 {
            samples += m.provisionedConcurrencyUtilization.map {
                MetricRecorder.Sample(identity: $0, value: Double(busy) / Double(allocated), unit: "None")
            }
        }
        recorder.record(samples, timestampMs: Self.nowMs)
    }
}

/// Samples ConcurrentExecutions (per function and account-wide) and UnreservedConcurrentExecutions every five
/// seconds while anything runs (their Maximum is what Lambda's graphs show).
struct ConcurrencySampler: Service {
    let invoker: Invoker
    let recorder: MetricRecorder

    func run() async throws {
        await withGracefulShutdownHandler {
            var wasIdle = false
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(5)) }
                let (byFunction, unreserved) = invoker.runningInvocations()
                let total = byFunction.values.reduce(0, +)
                // An idle server records one zero, then nothing until something runs again.
                if total == 0 && wasIdle { continue }
                wasIdle = total == 0
                var samples = byFunction.map { MetricRecorder.Sample(identity: LambdaMetrics.concurrentExecutions(function: $0.key),
                                                                     value: Double($0.value), unit: "Count") }
                samples.append(.init(identity: LambdaMetrics.concurrentExecutions(function: nil), value: Double(total), unit: "Count"))
                samples.append(.init(identity: LambdaMetrics.unreservedConcurrentExecutions, value: Double(unreserved), unit: "Count"))
                recorder.record(samples, timestampMs: Int64(Date().timeIntervalSince1970 * 1000))
            }
        } onGracefulShutdown: {}
    }
}
