import AWSProtocol
import Catalog
import Delivery
import Foundation
import Invoker
import Logging
import Queues
import ServiceLifecycle
import Synchronization

/// Asynchronous invocation: accepts events into the durable queue (the 202 follows the commit), and runs
/// them as a service — within the functions' concurrency, retrying failures and throttles, and sending
/// what happened to the destinations and dead-letter queues. At least once: an event leaves the queue only
/// after its outcome was delivered, and leases held by a server that died are released at the next start.
public final class AsyncDispatcher: Service, Sendable {
    public static let maxPayloadBytes = 1_048_576

    let catalog: FunctionCatalog
    let invoker: Invoker
    let queues: QueueBroker
    let timing: AsyncTiming
    let parallelism: Int
    let logger: Logger
    let clock: @Sendable () -> Int64
    private let signals = WakeSignals()
    private let idleness = HostIdleness()
    private static let key = "async"
    static let claimPacing: Duration = .milliseconds(5)
    private let state = Mutex(State())
    private let deliveryPath = Mutex<DeliveryService?>(nil)
    private let activityObserver = Mutex<(@Sendable (AsyncActivity) -> Void)?>(nil)

    /// Told of accepted, attempted and dropped events (set once while the server is wired).
    public func observeActivity(_ observer: @escaping @Sendable (AsyncActivity) -> Void) {
        activityObserver.withLock { $0 = observer }
    }

    private func note(_ activity: AsyncActivity) {
        activityObserver.withLock { $0 }?(activity)
    }

    /// Where records and dead letters for topics and event buses go (the one delivery path), set while wiring.
    public var deliveries: DeliveryService? {
        get { deliveryPath.withLock { $0 } }
        set { deliveryPath.withLock { $0 = newValue } }
    }

    private struct State {
        /// Events claimed and not finished: running or waiting for their function's turn.
        var held = 0
        var running: [String: Int] = [:]
        var waiting: [String: [AsyncEvent]] = [:]
        var stopping = false
    }

    public init(catalog: FunctionCatalog, invoker: Invoker, queues: QueueBroker, timing: AsyncTiming, parallelism: Int,
                logger: Logger, clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }) {
        self.catalog = catalog
        self.invoker = invoker
        self.queues = queues
        self.timing = timing
        self.parallelism = max(1, parallelism)
        self.logger = logger
        self.clock = clock
    }

    var store: any Store { catalog.store }

    /// Stores an event for `function` (already resolved) and wakes the dispatcher.
    public func accept(functionName: String, qualifier: String?, payload: [UInt8], requestId: String, traceId: String? = nil) async throws {
        let now = clock()
        try await store.enqueue(AsyncEvent(id: requestId, functionName: functionName, qualifier: qualifier, payload: payload,
                                           enqueuedAt: now, dueAt: now, traceId: traceId))
        signals.signal(Self.key)
        note(.received(function: functionName, qualifier: qualifier))
    }

    public func run() async throws {
        try await store.releaseLeases()
        await withGracefulShutdownHandler {
            await dispatchLoop()
        } onGracefulShutdown: {
            self.state.withLock { $0.stopping = true }
            self.signals.signal(Self.key)
        }
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    private func dispatchLoop() async {
        while !stopping && !Task.isCancelled {
            let seen = signals.generation(of: Self.key)
            let free = state.withLock { parallelism - $0.held }
            var claimed: [AsyncEvent] = []
            if free > 0 {
                let now = clock()
                do {
                    // A lease outlives any invocation (15 minutes at most); a dead server's leases are released at start.
                    claimed = try await store.claimDueEvents(now: now, leaseUntil: now + 16 * 60_000, limit: free)
                } catch is CancellationError {
                    // Cancelled: the loop ends at its next check.
                } catch {
                    logger.error("claiming async events failed", metadata: ["error": "\(error)"])
                }
            }
            state.withLock { s in
                s.held += claimed.count
                for event in claimed { s.waiting[event.functionName, default: []].append(event) }
            }
            let backlogged = state.withLock { Array($0.waiting.keys) }
            for function in backlogged { startWaiting(function) }
            if !claimed.isEmpty && claimed.count == free { continue }
            if !claimed.isEmpty {
                // Under a steady stream, claim what arrived in the next few milliseconds together rather than
                // one transaction per event; an async event may start that much later.
                try? await Task.sleep(for: Self.claimPacing)
                continue
            }
            var wait: Int64 = 1_000
            if let next = try? await store.nextDue() { wait = max(1, min(wait, next - clock())) }
            // Events waiting for their function's room are looked at again soon: environments attach meanwhile.
            if state.withLock({ !$0.waiting.isEmpty }) { wait = min(wait, 50) }
            await signals.wait(on: Self.key, since: seen, timeout: .milliseconds(wait))
        }
    }

    /// Starts the function's waiting events while it has room. A function's events run on as many
    /// environments as it has, plus up to two starting ones while the host has idle CPU: a backlog grows its
    /// environments as long as more of them can actually run (an I/O-bound function scales out, a CPU-bound
    /// one does not thrash the machine with cold starts).
    private func startWaiting(_ function: String) {
        let environments = invoker.environmentCount(of: function)
        let room = environments == 0 || idleness.idleFraction > 0.1 ? environments + 2 : environments
        let started = state.withLock { s -> [AsyncEvent] in
            var started: [AsyncEvent] = []
            while (s.running[function] ?? 0) < room, var queue = s.waiting[function], !queue.isEmpty {
                started.append(queue.removeFirst())
                s.waiting[function] = queue.isEmpty ? nil : queue
                s.running[function, default: 0] += 1
            }
            return started
        }
        for event in started {
            Task {
                await self.process(event)
                self.state.withLock { s in
                    s.held -= 1
                    s.running[function, default: 1] -= 1
                    if s.running[function] == 0 { s.running[function] = nil }
                }
                self.startWaiting(function)
                self.signals.signal(Self.key)
            }
        }
    }

    /// Runs one attempt of `event` and records what follows from it.
    func process(_ event: AsyncEvent) async {
        do {
            try await attempt(event)
        } catch {
            guard !stopping else { return }
            logger.error("async event handling failed; retrying", metadata: ["requestId": "\(event.id)", "error": "\(error)"])
            try? await store.reschedule(event.id, attempts: event.attempts, dueAt: clock() + timing.throttleDelayMs)
        }
    }

    private func attempt(_ event: AsyncEvent) async throws {
        let config: EventInvokeConfig
        let definition: FunctionDefinition
        let invokedQualifier: String?
        do {
            config = try await catalog.effectiveEventInvokeConfig(event.functionName, qualifier: event.qualifier)
            (definition, invokedQualifier) = try await catalog.resolveForInvocation(event.functionName, qualifier: event.qualifier)
        } catch let error as LambdaError {
            if case .resourceNotFound = error {
                logger.warning("async event dropped: its function is gone", metadata: ["requestId": "\(event.id)"])
                try await store.finish(event.id)
                return
            }
            throw error
        }
        let now = clock()
        if now - event.enqueuedAt > timing.eventAgeMs(seconds: config.eventAgeSeconds) {
            try await conclude(event, config: config, definition: definition, condition: "EventAgeExceeded",
                               invokeCount: event.attempts, result: nil)
            return
        }
        note(.attempted(function: event.functionName, qualifier: event.qualifier, ageMs: now - event.enqueuedAt))
        let result: InvocationResult
        do {
            result = try await invoker.invoke(InvocationRequest(
                function: definition, version: definition.version,
                invokedFunctionArn: catalog.arns.function(definition.name, qualifier: invokedQualifier),
                payload: event.payload, clientContext: nil, requestId: event.id, traceId: event.traceId,
                queuedAt: Double(event.enqueuedAt) / 1000, attempt: event.attempts + 1))
        } catch let error as LambdaError {
            guard !stopping else { return }
            // Throttles and system errors do not use up attempts; the event's age bounds them.
            if case .tooManyRequests = error {
                // Reserved concurrency 0 stops the function: its events fail at once, without retries.
                if try await store.reservedConcurrency(of: definition.name) == 0 {
                    try await conclude(event, config: config, definition: definition, condition: "RetriesExhausted",
                                       invokeCount: event.attempts, result: nil)
                    return
                }
                try await store.reschedule(event.id, attempts: event.attempts, dueAt: clock() + timing.throttleDelayMs)
                return
            }
            throw error
        }
        guard !stopping else { return }
        let attempts = event.attempts + 1
        if result.functionError == nil {
            try await conclude(event, config: config, definition: definition, condition: "Success", invokeCount: attempts, result: result)
        } else if attempts > config.retries {
            try await conclude(event, config: config, definition: definition, condition: "RetriesExhausted", invokeCount: attempts, result: result)
        } else {
            try await store.reschedule(event.id, attempts: attempts, dueAt: clock() + timing.retryDelayMs(afterAttempts: attempts))
        }
    }

    /// Sends the outcome where it goes (destination, dead-letter queue), then removes the event.
    private func conclude(_ event: AsyncEvent, config: EventInvokeConfig, definition: FunctionDefinition, condition: String,
                          invokeCount: Int, result: InvocationResult?) async throws {
        let success = condition == "Success"
        let record = InvocationRecord(
            timestamp: InvocationRecord.timestamp(Date()),
            requestContext: .init(requestId: event.id,
                                  functionArn: catalog.arns.function(event.functionName, qualifier: event.qualifier ?? "$LATEST"),
                                  condition: condition, approximateInvokeCount: invokeCount),
            requestPayload: JSONValue(parsing: event.payload) ?? .string(String(decoding: event.payload, as: UTF8.self)),
            responseContext: result.map { .init(statusCode: 200, executedVersion: $0.executedVersion, functionError: $0.functionError) },
            responsePayload: result.map { JSONValue(parsing: $0.payload) ?? .string(String(decoding: $0.payload, as: UTF8.self)) })
        if let destination = success ? config.onSuccess : config.onFailure {
            if await mayDeliver(definition, to: destination) {
                do {
                    try await deliver(record.json, to: destination, success: success)
                } catch {
                    note(.destinationDeliveryFailed(function: event.functionName, qualifier: event.qualifier))
                    throw error
                }
            } else {
                note(.destinationDeliveryFailed(function: event.functionName, qualifier: event.qualifier))
            }
        }
        if !success {
            note(.dropped(function: event.functionName, qualifier: event.qualifier))
            if let dlq = definition.deadLetterTargetArn, await !mayDeliver(definition, to: dlq) {
                note(.deadLetterFailed(function: event.functionName, qualifier: event.qualifier))
            }
        }
        if !success, let dlq = definition.deadLetterTargetArn, await mayDeliver(definition, to: dlq) {
            let errorMessage = result.flatMap { JSONValue(parsing: $0.payload)?["errorMessage"]?.stringValue } ?? condition
            let body = String(decoding: event.payload, as: UTF8.self)
            if Delivery.channel(forARN: dlq) == "sns" {
                try await handOver(body, to: dlq, attributes: [
                    "RequestID": .string(event.id), "ErrorCode": .number(200), "ErrorMessage": .string(errorMessage)])
            } else {
                try await sendToQueue(body, arn: dlq, attributes: [
                    "RequestID": MessageAttributeValue(DataType: "String", StringValue: event.id),
                    "ErrorCode": MessageAttributeValue(DataType: "Number", StringValue: "200"),
                    "ErrorMessage": MessageAttributeValue(DataType: "String", StringValue: errorMessage),
                ])
            }
        }
        try await store.finish(event.id)
        if !success {
            logger.info("async invocation failed", metadata: ["requestId": "\(event.id)", "condition": "\(condition)", "attempts": "\(invokeCount)"])
        }
    }

    /// Lambda sends records and dead letters with the function's role: what the role may not do is not done.
    private func mayDeliver(_ function: FunctionDefinition, to arn: String) async -> Bool {
        guard let roles = catalog.executionRoles, let (action, _) = FunctionCatalog.sendPermission(to: arn) else { return true }
        if await roles.rolePermits(function.role, functionName: function.name, action: action, resource: arn) { return true }
        logger.warning("the function's execution role may not send to the destination; the record is dropped",
                       metadata: ["function": "\(function.name)", "destination": "\(arn)", "action": "\(action)"])
        return false
    }

    /// A queue, a topic, an event bus, or a function (invoked asynchronously with the record as its event).
    private func deliver(_ body: String, to arn: String, success: Bool) async throws {
        let service = Delivery.channel(forARN: arn)
        if service == "sqs" {
            try await sendToQueue(body, arn: arn, attributes: [:])
        } else if service == "sns" {
            try await handOver(body, to: arn, attributes: [:])
        } else if service == "events" {
            // EventBridge receives the record as the detail of a `lambda` event (PutEvents' entry shape).
            let entry: JSONValue = .object([
                "Source": .string("lambda"),
                "DetailType": .string(success ? "Lambda Function Invocation Result - Success" : "Lambda Function Invocation Result - Failure"),
                "Detail": .string(body),
                "Resources": .array([.string(catalog.arns.function(Self.functionName(inRecord: body) ?? "", qualifier: nil))]),
            ])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            try await handOver(String(decoding: try encoder.encode(entry), as: UTF8.self), to: arn, attributes: [:])
        } else {
            let (target, qualifier) = try await catalog.resolve(arn)
            try await accept(functionName: target.name, qualifier: qualifier, payload: Array(body.utf8),
                             requestId: UUID().uuidString.lowercased())
        }
    }

    /// A topic or bus: through the one delivery path (durable; retried there). The function's role was checked.
    private func handOver(_ body: String, to arn: String, attributes: [String: DeliveryAttribute]) async throws {
        guard let deliveries, let channel = Delivery.channel(forARN: arn) else {
            logger.warning("no delivery path for the destination; the record is dropped", metadata: ["destination": "\(arn)"])
            return
        }
        let now = clock()
        try await deliveries.accept([Delivery(
            id: UUID().uuidString.lowercased(), channel: channel, target: arn, payload: body, attributes: attributes,
            origin: DeliveryOrigin(), retry: DeliveryRetryPolicy(maximumRetries: 3, maximumAgeSeconds: 21_600,
                                                                 backoff: .exponential(initialMs: 1_000, maxMs: 60_000, jitter: 0.2)),
            acceptedAt: now)])
    }

    /// The function name in an invocation record's `requestContext.functionArn`.
    static func functionName(inRecord body: String) -> String? {
        guard let arn = JSONValue(parsing: Array(body.utf8))?["requestContext"]?["functionArn"]?.stringValue else { return nil }
        let parts = arn.split(separator: ":")
        return parts.count > 6 ? String(parts[6]) : nil
    }

    private func sendToQueue(_ body: String, arn: String, attributes: [String: MessageAttributeValue]) async throws {
        guard let name = queues.addressing.name(fromARN: arn), let queue = try await queues.store.queue(named: name) else {
            logger.warning("destination queue does not exist; the record is dropped", metadata: ["queue": "\(arn)"])
            return
        }
        guard !queue.isFifo else {
            // Lambda sends records and dead letters to standard queues only.
            logger.warning("destination queue is a FIFO queue; the record is dropped", metadata: ["queue": "\(arn)"])
            return
        }
        _ = try await queues.send([OutgoingMessage(body: body, attributes: attributes)], to: queue, senderId: catalog.arns.accountId)
    }
}
