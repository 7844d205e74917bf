import CloudWatchAPI
import CloudWatchMetrics
import Foundation
import FunctionLogs

/// CloudWatch metrics: the recorder Lambda's invocations, PutMetricData and EMF log lines feed; its retention
/// janitor; the API in both protocols botocore speaks (RPC v2 CBOR and JSON 1.0).
enum MetricsWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        let recorder = MetricRecorder(store: context.store, logger: context.logger)
        let directory = MetricsDirectory(recorder: recorder, store: context.store)
        context.metrics.observer = LambdaMetricsObserver(recorder: recorder)
        context.logWriter.observeBatches { events in
            for event in events where EmbeddedMetricFormat.mightBe(event.message) {
                directory.publish(EmbeddedMetricFormat.data(in: event.message, fallbackTimestampMs: event.timestamp))
            }
        }
        return WiredService(
            hosted: [CloudWatchService(directory: directory, wire: .cbor), CloudWatchService(directory: directory, wire: .json)],
            services: [recorder, MetricJanitor(store: context.store, logger: context.logger),
                       ConcurrencySampler(invoker: context.invoker, recorder: recorder)])
    }
}
