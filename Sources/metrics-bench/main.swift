import CloudWatchMetrics
import Foundation
import Logging

/// What CloudWatch's AWS/Lambda metrics cost an invocation: the samples `LambdaMetricsObserver` records when an
/// invocation starts (Invocations) and ends (Duration, Errors), for a function invoked through an alias (four
/// dimension sets each), into a recorder whose store is never flushed to. Prints ns per invocation; asserts nothing.
/// Usage: swift run -c release metrics-bench

struct NoStore: MetricStore {
    func mergeMetricPoints(_ points: [MetricPoint]) async throws {}
    func storedMetrics(namespace: String?, name: String?, activeSince: Int64) async throws -> [StoredMetric] { [] }
    func metricPoints(of identity: MetricIdentity, resolution: Int, from: Int64, to: Int64, unit: String?,
                      sketches: Bool) async throws -> [MetricPoint] { [] }
    func deleteMetricPoints(resolution: Int, before: Int64) async throws -> Int { 0 }
}

let recorder = MetricRecorder(store: NoStore(), logger: Logger(label: "bench"))
let metrics = LambdaMetrics(function: "orders", resource: "orders:live", executedVersion: "7")
let rounds = 200_000
var samples: [Double] = []
for _ in 0..<5 {
    let start = ContinuousClock.now
    for i in 0..<rounds {
        let now = Int64(1_800_000_000_000 + i)
        recorder.record(metrics.invocations.map { .init(identity: $0, value: 1, unit: "Count") }, timestampMs: now)
        var finished = metrics.duration.map { MetricRecorder.Sample(identity: $0, value: 1.5, unit: "Milliseconds") }
        finished += metrics.errors.map { MetricRecorder.Sample(identity: $0, value: 0, unit: "Count") }
        recorder.record(finished, timestampMs: now)
    }
    let elapsed = ContinuousClock.now - start
    let (s, atto) = elapsed.components
    samples.append((Double(s) * 1e9 + Double(atto) / 1e9) / Double(rounds))
}
samples.sort()
print(String(format: "AWS/Lambda metrics per invocation (alias: 4 dimension sets × Invocations, Duration, Errors): median %.0f ns, best %.0f ns over 5 × %d invocations",
             samples[2], samples[0], rounds))
