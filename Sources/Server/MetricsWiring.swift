import CloudWatchAPI
import CloudWatchLogs
import CloudWatchMetrics
import Delivery
import Foundation
import FunctionLogs

/// CloudWatch metrics: the recorder Lambda's invocations, PutMetricData and EMF log lines feed; its retention
/// janitor; the API in both protocols botocore speaks (RPC v2 CBOR and JSON 1.0).
enum MetricsWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        let recorder = MetricRecorder(store: context.store, logger: context.logger)
        let directory = MetricsDirectory(recorder: recorder, store: context.store)
        context.metrics.observer = LambdaMetricsObserver(recorder: recorder)
        // Metric filters publish here; function logs reach them (and EMF) from the log writer's batches, PutLogEvents
        // from its request.
        let filters = context.logsDirectory.metricFilters
        filters.publish { extracted in
            directory.publish(extracted.map {
                CloudWatchMetrics.MetricDatum(
                    identity: MetricIdentity(namespace: $0.namespace, name: $0.name,
                                             dimensions: $0.dimensions.map { MetricDimension(name: $0.key, value: $0.value) }),
                    values: [($0.value, 1)], unit: $0.unit, timestampMs: $0.timestampMs, highResolution: false)
            })
        }
        context.logWriter.observeBatches { events in
            for event in events where EmbeddedMetricFormat.mightBe(event.message) {
                directory.publish(EmbeddedMetricFormat.data(in: event.message, fallbackTimestampMs: event.timestamp))
            }
            guard !filters.isEmpty else { return }
            for (group, grouped) in Dictionary(grouping: events, by: \.group) {
                filters.apply(group: group, events: grouped.map { ($0.message, $0.timestamp) })
            }
        }
        context.dispatcher.observeActivity { activity in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            func count(_ name: String, _ function: String, _ qualifier: String?) {
                recorder.record(LambdaMetrics.asyncMetric(name, function: function, qualifier: qualifier).map {
                    .init(identity: $0, value: 1, unit: "Count") }, timestampMs: now)
            }
            switch activity {
            case .received(let f, let q): count("AsyncEventsReceived", f, q)
            case .attempted(let f, let q, let age):
                recorder.record(LambdaMetrics.asyncMetric("AsyncEventAge", function: f, qualifier: q).map {
                    .init(identity: $0, value: Double(age), unit: "Milliseconds") }, timestampMs: now)
            case .dropped(let f, let q): count("AsyncEventsDropped", f, q)
            case .destinationDeliveryFailed(let f, let q): count("DestinationDeliveryFailures", f, q)
            case .deadLetterFailed(let f, let q): count("DeadLetterErrors", f, q)
            }
        }
        let queueMetrics = QueueMetrics(queues: context.queues, store: context.store, recorder: recorder)
        queueMetrics.observe()
        let config = context.configuration
        let deliveries = context.deliveries
        let alarms = AlarmDirectory(store: context.store, metrics: directory, region: config.region, accountId: config.accountId,
                                    logger: context.logger) { transition in
            await notify(transition, deliveries: deliveries, region: config.region, accountId: config.accountId)
        }
        return WiredService(
            hosted: [CloudWatchService(directory: directory, alarms: alarms, wire: .cbor),
                     CloudWatchService(directory: directory, alarms: alarms, wire: .json),
                     CloudWatchService(directory: directory, alarms: alarms, wire: .query)],
            services: [recorder, MetricJanitor(store: context.store, logger: context.logger,
                                                   turn: context.janitorTurns.turn(of: "metric-retention", lease: 1_500)),
                       ConcurrencySampler(invoker: context.invoker, recorder: recorder), queueMetrics, alarms])
    }

    /// An alarm's state change to each of its actions, through the one delivery path: the SNS message to topics
    /// (as `cloudwatch.amazonaws.com`), the alarm event to functions (as `lambda.alarms.cloudwatch.amazonaws.com`,
    /// which the function's policy must allow).
    static func notify(_ transition: AlarmTransition, deliveries: DeliveryService, region: String, accountId: String) async {
        let now = deliveries.now
        let retry = DeliveryRetryPolicy(maximumRetries: 3, maximumAgeSeconds: 3600, backoff: .exponential(initialMs: 1_000, maxMs: 60_000, jitter: 0.2))
        var batch: [Delivery] = []
        for action in transition.actions {
            guard let channel = Delivery.channel(forARN: action) else { continue }
            let id = UUID().uuidString.lowercased()
            if channel == "sns" {
                let (message, subject) = AlarmNotification.snsMessage(transition, accountId: accountId, region: region)
                batch.append(Delivery(id: id, channel: "sns", target: action, payload: message,
                                      origin: DeliveryOrigin(servicePrincipal: "cloudwatch.amazonaws.com", sourceArn: transition.alarmArn,
                                                             sourceAccount: accountId),
                                      retry: retry, acceptedAt: now, context: ["subject": subject]))
            } else if channel == "lambda" {
                batch.append(Delivery(id: id, channel: "lambda", target: action,
                                      payload: AlarmNotification.lambdaEvent(transition, accountId: accountId, region: region),
                                      origin: DeliveryOrigin(servicePrincipal: "lambda.alarms.cloudwatch.amazonaws.com",
                                                             sourceArn: transition.alarmArn, sourceAccount: accountId),
                                      retry: retry, acceptedAt: now))
            }
        }
        try? await deliveries.accept(batch)
    }
}
