import Catalog
import Foundation
import Invoker
import Logging
import Queues
import Synchronization

/// Polls one mapping's queue and invokes its function with batches. Runs `workers` concurrent loops: one
/// to start, another whenever a batch comes back full (up to the mapping's maximum concurrency), and a
/// loop beyond the first ends when a long poll finds nothing.
final class MappingPoller: Sendable {
    let mapping: EventSourceMapping
    let catalog: FunctionCatalog
    let invoker: Invoker
    let queues: QueueBroker
    let logger: Logger
    let maxWorkers: Int
    let filter: EventFilter
    private let workers = Mutex<(count: Int, tasks: [Task<Void, Never>])>((0, []))

    init(mapping: EventSourceMapping, filter: EventFilter, catalog: FunctionCatalog, invoker: Invoker, queues: QueueBroker, logger: Logger,
         maxWorkers: Int) {
        self.mapping = mapping
        self.filter = filter
        self.catalog = catalog
        self.invoker = invoker
        self.queues = queues
        self.logger = logger
        self.maxWorkers = maxWorkers
    }

    func start() {
        addWorker(force: true)
    }

    func stop() {
        let tasks = workers.withLock { w in
            defer { w.tasks.removeAll() }
            return w.tasks
        }
        for task in tasks { task.cancel() }
    }

    private func addWorker(force: Bool = false) {
        workers.withLock { w in
            guard force || w.count < maxWorkers else { return }
            w.count += 1
            w.tasks.removeAll { $0.isCancelled }
            w.tasks.append(Task { [self] in await work() })
        }
    }

    private func work() async {
        var counted = true
        defer { if counted { workers.withLock { $0.count -= 1 } } }
        while !Task.isCancelled {
            do {
                let handled = try await pollOnce()
                if handled == 0 {
                    // Leave when idle, but never as the last worker: deciding and leaving are one step, so two
                    // idle workers cannot both see the other and leave the mapping with none.
                    let leaves = workers.withLock { w -> Bool in
                        guard w.count > 1 else { return false }
                        w.count -= 1
                        return true
                    }
                    if leaves {
                        counted = false
                        return
                    }
                } else if handled >= min(mapping.batchSize, QueueBroker.maxBatchEntries) {
                    addWorker()
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("event source mapping poll failed", metadata: ["uuid": "\(mapping.uuid)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One batch: gathers up to BatchSize messages (within the batching window), invokes, settles. Returns
    /// the number of messages handled.
    func pollOnce() async throws -> Int {
        guard let name = queues.addressing.name(fromARN: mapping.eventSourceArn) else { return 0 }
        let queue = try await queues.queue(name)
        // Long-poll for the first messages; with a batching window, keep gathering until it closes. Filtering comes
        // before batching: messages no pattern admits are deleted as they arrive and take no room in the batch.
        let first = try await queues.receive(from: queue, max: min(QueueBroker.maxBatchEntries, mapping.batchSize),
                                             visibilityTimeout: nil, waitSeconds: QueueBroker.maxWaitSeconds)
        var handled = first.count
        var batch = try await admitted(first, queue: queue)
        if handled > 0 && mapping.maximumBatchingWindowInSeconds > 0 {
            let windowEnd = ContinuousClock.now + .seconds(mapping.maximumBatchingWindowInSeconds)
            while batch.count < mapping.batchSize && !Task.isCancelled {
                let remaining = windowEnd - ContinuousClock.now
                if remaining <= .zero { break }
                let wait = min(QueueBroker.maxWaitSeconds, Int((remaining / .seconds(1)).rounded(.up)))
                let got = try await queues.receive(from: queue, max: min(QueueBroker.maxBatchEntries, mapping.batchSize - batch.count),
                                                   visibilityTimeout: nil, waitSeconds: wait)
                if got.isEmpty { break }
                handled += got.count
                batch += try await admitted(got, queue: queue)
            }
        }
        if !batch.isEmpty { try await deliver(batch, queue: queue) }
        return handled
    }

    /// The received messages the mapping's filter admits; the others are deleted from the queue.
    private func admitted(_ received: [ReceivedMessage], queue: QueueDefinition) async throws -> [ReceivedMessage] {
        guard !filter.isEmpty, !received.isEmpty else { return received }
        let records = SQSEvent(received, queueArn: mapping.eventSourceArn, region: queues.addressing.region).Records
        var kept: [ReceivedMessage] = [], dropped: [String] = []
        for (message, record) in zip(received, records) {
            if filter.admits(record) { kept.append(message) } else { dropped.append(message.message.id) }
        }
        if !dropped.isEmpty { try await queues.delete(ids: dropped, from: queue) }
        return kept
    }

    private func deliver(_ batch: [ReceivedMessage], queue: QueueDefinition) async throws {
        let event = SQSEvent(batch, queueArn: mapping.eventSourceArn, region: queues.addressing.region)
        let (definition, qualifier) = try await catalog.resolveForInvocation(mapping.functionName, qualifier: mapping.qualifier)
        let result: InvocationResult
        do {
            result = try await invoker.invoke(InvocationRequest(
                function: definition, version: definition.version,
                invokedFunctionArn: catalog.arns.function(definition.name, qualifier: qualifier),
                payload: event.json, clientContext: nil, requestId: UUID().uuidString.lowercased()))
        } catch let error as LambdaError {
            // Throttled: the messages come back after their visibility timeout; back off meanwhile.
            logger.debug("mapping invoke refused", metadata: ["uuid": "\(mapping.uuid)", "error": "\(error)"])
            try await Task.sleep(for: .milliseconds(200))
            return
        }
        if result.functionError != nil { return }
        var keep = Set<String>()
        if mapping.reportsBatchItemFailures {
            guard let failed = BatchItemFailures.failedIds(result.payload, batch: Set(batch.map(\.message.id))) else { return }
            keep = queue.isFifo ? Self.withLaterOfTheirGroups(failed, in: batch) : failed
        }
        let done = batch.map(\.message.id).filter { !keep.contains($0) }
        if !done.isEmpty { try await queues.delete(ids: done, from: queue) }
    }

    /// In a FIFO queue, a failed message holds back the messages after it in its group, so the group's order
    /// survives a function that reports only the first failure.
    static func withLaterOfTheirGroups(_ failed: Set<String>, in batch: [ReceivedMessage]) -> Set<String> {
        var keep = failed
        var heldGroups = Set<String>()
        for received in batch {
            let m = received.message
            guard let group = m.groupId else { continue }
            if heldGroups.contains(group) { keep.insert(m.id) } else if failed.contains(m.id) { heldGroups.insert(group) }
        }
        return keep
    }
}
