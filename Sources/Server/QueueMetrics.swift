import CloudWatchMetrics
import Foundation
import Queues
import SQLiteStore
import ServiceLifecycle

/// CloudWatch's AWS/SQS metrics: counters from the broker's activity (NumberOfMessagesSent/Received/Deleted,
/// NumberOfEmptyReceives, SentMessageSize) and the depths sampled every 15 seconds
/// (ApproximateNumberOfMessagesVisible/NotVisible/Delayed).
struct QueueMetrics: Service {
    let queues: QueueBroker
    let store: any PlatformStore
    let recorder: MetricRecorder

    /// Records the broker's activity as it happens.
    func observe() {
        let recorder = self.recorder
        queues.observeActivity { activity in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            switch activity {
            case .sent(let queue, let sizes):
                var samples = [MetricRecorder.Sample(identity: SQSMetrics.metric("NumberOfMessagesSent", queue: queue), value: 1,
                                                     count: Double(sizes.count), unit: "Count")]
                samples += sizes.map { .init(identity: SQSMetrics.metric("SentMessageSize", queue: queue), value: Double($0), unit: "Bytes") }
                recorder.record(samples, timestampMs: now)
            case .received(let queue, let count):
                recorder.record([.init(identity: SQSMetrics.metric("NumberOfMessagesReceived", queue: queue), value: 1,
                                       count: Double(count), unit: "Count")], timestampMs: now)
            case .emptyReceive(let queue):
                recorder.record([.init(identity: SQSMetrics.metric("NumberOfEmptyReceives", queue: queue), value: 1, unit: "Count")],
                                timestampMs: now)
            case .deleted(let queue, let count):
                recorder.record([.init(identity: SQSMetrics.metric("NumberOfMessagesDeleted", queue: queue), value: 1,
                                       count: Double(count), unit: "Count")], timestampMs: now)
            }
        }
    }

    func sample() async throws {
        let now = queues.now
        var samples: [MetricRecorder.Sample] = []
        for queue in try await store.queues(prefix: nil) {
            let counts = try await store.counts(of: queue.name, now: now)
            samples.append(.init(identity: SQSMetrics.metric("ApproximateNumberOfMessagesVisible", queue: queue.name),
                                 value: Double(counts.visible), unit: "Count"))
            samples.append(.init(identity: SQSMetrics.metric("ApproximateNumberOfMessagesNotVisible", queue: queue.name),
                                 value: Double(counts.inFlight), unit: "Count"))
            samples.append(.init(identity: SQSMetrics.metric("ApproximateNumberOfMessagesDelayed", queue: queue.name),
                                 value: Double(counts.delayed), unit: "Count"))
        }
        recorder.record(samples, timestampMs: now)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await sample()
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(15)) }
            }
        } onGracefulShutdown: {}
    }
}
