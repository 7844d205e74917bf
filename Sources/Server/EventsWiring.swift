import AWSProtocol
import Delivery
import Events
import EventsAPI
import Logging
import Queues

/// Wires EventBridge: the bus directory over the store (loaded now), its schedule rules' timers, its API, and the `events` delivery sink
/// through which Lambda destinations, Scheduler targets and other buses' rules put events on a bus.
enum EventsWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        let deliveries = context.deliveries
        let bridge = EventBridge(store: context.store, arns: EventARNs(region: context.configuration.region, accountId: context.configuration.accountId),
                                 logger: context.logger, accept: { try await deliveries.accept($0) })
        try await bridge.load()
        context.changes.on("event-bus", "rule", "archive", "replay") { _ in try await bridge.load() }
        let schedules = ScheduleRuleTimers(bridge: bridge, engine: context.timers)
        bridge.setScheduleObserver(schedules)
        context.timers.register(kind: ScheduleRuleTimers.kind, handler: schedules)
        let authorization = DeliveryAuthorization(authorizer: context.authorizer, accountId: context.configuration.accountId)
        context.router.register("events", EventBusDeliverySink(bridge: bridge, authorization: authorization))
        context.router.register(EventBridge.archiveChannel, EventArchiveDeliverySink(bridge: bridge))
        context.router.register(EventBridge.fifoQueueChannel, FifoQueueTargetSink(queues: context.queues, router: context.router))
        return WiredService(hosted: [EventsService(bridge: bridge)], services: [ReplayRunner(bridge: bridge)])
    }
}

/// `events`: puts a PutEvents entry on the bus (or, with `context["format"] == "event"`, forwards a whole event,
/// keeping its id), matching the bus's rules; the resulting deliveries are durable before this returns. A role
/// needs `events:PutEvents` on the bus; a service of another account needs the bus's policy to allow it (one of
/// this account is allowed, as AWS).
struct EventBusDeliverySink: DeliverySink {
    let bridge: EventBridge
    let authorization: DeliveryAuthorization

    func deliver(_ delivery: Delivery) async throws(DeliveryFailure) {
        guard let (_, policy) = bridge.policy(ofBusArn: delivery.target) else {
            throw .notFound("Event bus \(delivery.target) does not exist.")
        }
        let otherAccount = delivery.origin.sourceAccount.map { $0 != authorization.accountId } ?? false
        if delivery.origin.roleArn != nil || otherAccount {
            try authorization.check(delivery.origin, action: "events:PutEvents", resource: delivery.target, resourcePolicy: policy)
        }
        do {
            try await bridge.ingest(payload: delivery.payload, forwarded: delivery.context["format"] == "event", busArn: delivery.target)
        } catch {
            switch error {
            case .resourceNotFound(let message): throw .notFound(message)
            case .validation(let message): throw .init(code: "InvalidArgument", message: message, retryable: false)
            default: throw .transient("InternalException", error.awsError.message)
            }
        }
    }
}

/// `events-archive`: stores an event in an archive (it rode the same durable batch as the event's deliveries).
struct EventArchiveDeliverySink: DeliverySink {
    let bridge: EventBridge

    func deliver(_ delivery: Delivery) async throws(DeliveryFailure) {
        do {
            try await bridge.archiveEvent(archiveArn: delivery.target, text: delivery.payload, receivedAt: delivery.acceptedAt)
        } catch {
            throw .transient("InternalException", "The archive did not take the event: \(error)")
        }
    }
}

/// `events-sqs-fifo`: a rule's FIFO queue target. EventBridge uses the event id as deduplication id unless the
/// queue has content-based deduplication (then the queue derives it from the body); the send itself is the `sqs`
/// sink's (queue policy, FIFO checks).
struct FifoQueueTargetSink: DeliverySink {
    let queues: QueueBroker
    let router: DeliveryRouter

    func deliver(_ delivery: Delivery) async throws(DeliveryFailure) {
        guard let sink = router.sink(for: "sqs") else { throw .notFound("No queue sink is registered.") }
        var send = delivery
        send.channel = "sqs"
        if let name = queues.addressing.name(fromARN: delivery.target),
           let queue = try? await queues.store.queue(named: name), queue.attributes.contentBasedDeduplication {
            send.deduplicationId = nil
        }
        try await sink.deliver(send)
    }
}
