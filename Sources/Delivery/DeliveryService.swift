import AWSProtocol
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The one delivery path: takes deliveries durably (`accept` returns after the store committed them), hands
/// each to its channel's sink when due, retries failures with the delivery's policy and sends what ran out
/// of attempts or age to its dead-letter queue. At least once: a delivery leaves the store only after its
/// sink took it (or it was dead-lettered or dropped), and leases of a process that died end at the next start.
public final class DeliveryService: Service, Sendable {
    let store: any DeliveryStore
    let router: DeliveryRouter
    let parallelism: Int
    /// Divides every retry delay and event age (tests).
    let speedup: Double
    let logger: Logger
    let clock: @Sendable () -> Int64
    private let signals = WakeSignals()
    private static let key = "deliveries"
    private static let leaseMs: Int64 = 300_000
    private let state = Mutex(State())

    struct State {
        var stopping = false
        var counters = DeliveryCounters()
    }

    public init(store: any DeliveryStore, router: DeliveryRouter, parallelism: Int = 32, speedup: Double = 1, logger: Logger,
                clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }) {
        self.store = store
        self.router = router
        self.parallelism = max(1, parallelism)
        self.speedup = max(speedup, 0.000_001)
        self.logger = logger
        self.clock = clock
    }

    /// The current time as producers should stamp `acceptedAt` (ms since 1970).
    public var now: Int64 { clock() }

    /// Stores the deliveries (one transaction) and wakes the loop.
    public func accept(_ deliveries: [Delivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await store.enqueueDeliveries(deliveries)
        signals.signal(Self.key)
    }

    /// Wakes the loop: deliveries were stored by another path (a producer's own transaction).
    public func wake() {
        signals.signal(Self.key)
    }

    public var counters: DeliveryCounters { state.withLock { $0.counters } }

    public func run() async throws {
        try await store.releaseDeliveryLeases()
        await withGracefulShutdownHandler {
            await self.loop()
        } onGracefulShutdown: {
            self.state.withLock { $0.stopping = true }
            self.signals.signal(Self.key)
        }
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    private func loop() async {
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            while !stopping && !Task.isCancelled {
                while inFlight >= parallelism, await group.next() != nil { inFlight -= 1 }
                let seen = signals.generation(of: Self.key)
                let now = clock()
                let batch: [Delivery]
                do {
                    batch = try await store.claimDueDeliveries(now: now, leaseUntil: now + Self.leaseMs, limit: parallelism - inFlight)
                } catch {
                    logger.error("claiming deliveries failed", metadata: ["error": "\(error)"])
                    await signals.wait(on: Self.key, since: seen, timeout: .seconds(1))
                    continue
                }
                for delivery in batch {
                    inFlight += 1
                    group.addTask { await self.attempt(delivery) }
                }
                if batch.isEmpty {
                    let next = (try? await store.nextDeliveryDue()) ?? nil
                    let waitMs = next.map { max(0, $0 - clock()) } ?? 30_000
                    if waitMs > 0 {
                        await signals.wait(on: Self.key, since: seen, timeout: .milliseconds(min(waitMs, 30_000)))
                    }
                }
            }
            // Graceful shutdown: what is in flight finishes (or keeps its lease, released at the next start).
            while await group.next() != nil {}
        }
    }

    func scaled(_ ms: Int64) -> Int64 {
        max(0, Int64((Double(ms) / speedup).rounded()))
    }

    /// One attempt at one delivery, and what follows from its outcome.
    func attempt(_ delivery: Delivery) async {
        let now = clock()
        if let maxAge = delivery.retry.maximumAgeSeconds, now - delivery.acceptedAt > scaled(Int64(maxAge) * 1000) {
            await giveUp(delivery, failure: nil, condition: "MaximumEventAgeInSeconds", attempts: delivery.attempts)
            return
        }
        guard let sink = router.sink(for: delivery.channel) else {
            await giveUp(delivery, failure: .notFound("No target of kind \(delivery.channel) is served here."),
                         condition: nil, attempts: delivery.attempts + 1)
            return
        }
        do throws(DeliveryFailure) {
            try await sink.deliver(delivery)
            state.withLock { $0.counters.delivered += 1 }
            await finish(delivery.id)
        } catch {
            await failed(delivery, failure: error)
        }
    }

    private func failed(_ delivery: Delivery, failure: DeliveryFailure) async {
        let attempts = delivery.attempts + 1
        state.withLock { $0.counters.failedAttempts += 1 }
        guard failure.retryable else {
            await giveUp(delivery, failure: failure, condition: nil, attempts: attempts)
            return
        }
        guard attempts <= delivery.retry.maximumRetries else {
            await giveUp(delivery, failure: failure, condition: "MaximumRetryAttempts", attempts: attempts)
            return
        }
        let now = clock()
        let due = now + scaled(delivery.retry.delayMs(afterAttempts: attempts, random: Double.random(in: 0...1)))
        if let maxAge = delivery.retry.maximumAgeSeconds, due - delivery.acceptedAt > scaled(Int64(maxAge) * 1000) {
            await giveUp(delivery, failure: failure, condition: "MaximumEventAgeInSeconds", attempts: attempts)
            return
        }
        do {
            try await store.rescheduleDelivery(delivery.id, attempts: attempts, dueAt: due)
            signals.signal(Self.key)
        } catch {
            logger.error("rescheduling a delivery failed; it runs again when its lease ends",
                         metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
    }

    /// Out of attempts or age, or a failure that will not heal: to the dead-letter queue if there is one.
    private func giveUp(_ delivery: Delivery, failure: DeliveryFailure?, condition: String?, attempts: Int) async {
        if let deadLetter = delivery.deadLetter {
            var attributes = deadLetter.attributes
            if deadLetter.includeError {
                if let failure {
                    attributes["ERROR_CODE"] = .string(failure.code)
                    attributes["ERROR_MESSAGE"] = .string(failure.message)
                }
                if let condition { attributes["EXHAUSTED_RETRY_CONDITION"] = .string(condition) }
                attributes["RETRY_ATTEMPTS"] = .number(max(0, attempts - 1))
            }
            let letter = Delivery(id: UUID().uuidString.lowercased(), channel: "sqs", target: deadLetter.arn, payload: delivery.payload,
                                  attributes: attributes, origin: delivery.origin,
                                  retry: DeliveryRetryPolicy(maximumRetries: 0, maximumAgeSeconds: nil, backoff: .fixed(ms: 0)),
                                  acceptedAt: clock())
            do throws(DeliveryFailure) {
                guard let sink = router.sink(for: "sqs") else { throw .notFound("no queue sink") }
                try await sink.deliver(letter)
                state.withLock { $0.counters.deadLettered += 1 }
            } catch {
                state.withLock { $0.counters.deadLetterErrors += 1 }
                logger.warning("the dead-letter queue did not take a failed delivery; it is dropped", metadata: [
                    "delivery": "\(delivery.id)", "target": "\(delivery.target)", "deadLetter": "\(deadLetter.arn)",
                    "error": "\(error.code): \(error.message)"])
            }
        } else {
            state.withLock { $0.counters.dropped += 1 }
            logger.info("a delivery was dropped", metadata: [
                "delivery": "\(delivery.id)", "channel": "\(delivery.channel)", "target": "\(delivery.target)",
                "reason": "\(failure.map { "\($0.code): \($0.message)" } ?? condition ?? "")"])
        }
        await finish(delivery.id)
    }

    private func finish(_ id: String) async {
        do {
            try await store.finishDeliveries([id])
        } catch {
            logger.error("removing a finished delivery failed; it may be delivered again", metadata: ["delivery": "\(id)", "error": "\(error)"])
        }
    }
}

/// What the delivery path did since start (Prometheus and tests read these).
public struct DeliveryCounters: Sendable, Equatable {
    public var delivered = 0
    public var failedAttempts = 0
    public var deadLettered = 0
    public var deadLetterErrors = 0
    public var dropped = 0
}
