import Delivery
import Foundation
import Logging
import SQLiteStore
import Synchronization
import Testing

/// A sink that records what it took and fails as told.
final class RecordingSink: DeliverySink {
    let taken = Mutex<[Delivery]>([])
    let failures = Mutex<[DeliveryFailure]>([])

    func deliver(_ delivery: Delivery) async throws(DeliveryFailure) {
        if let failure = failures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw failure }
        taken.withLock { $0.append(delivery) }
    }

    var count: Int { taken.withLock { $0.count } }
}

func waitUntil(_ seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(5))
    }
    return try await condition()
}

@Suite struct DeliveryServiceTests {
    func makeStore() throws -> SQLiteStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("delivery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try SQLiteStore(path: dir.path + "/s.sqlite")
    }

    func delivery(_ channel: String = "test", retries: Int = 2, deadLetter: DeadLetter? = nil, now: Int64) -> Delivery {
        Delivery(id: UUID().uuidString, channel: channel, target: "arn:aws:test:us-east-1:000000000000:thing", payload: "{}",
                 origin: DeliveryOrigin(servicePrincipal: "events.amazonaws.com", sourceArn: "arn:rule"),
                 retry: DeliveryRetryPolicy(maximumRetries: retries, maximumAgeSeconds: 3600, backoff: .fixed(ms: 1000)),
                 deadLetter: deadLetter, acceptedAt: now)
    }

    @Test func deliversRetriesAndDeadLetters() async throws {
        let store = try makeStore()
        let router = DeliveryRouter()
        let sink = RecordingSink()
        let queue = RecordingSink()
        router.register("test", sink)
        router.register("sqs", queue)
        // Speed-up 100: the 1 s back-off is 10 ms, and the hour's maximum age 36 s — far more than a loaded test run
        // can delay the loop (with 1000 the age was 3.6 s, and a busy parallel run once dropped the first delivery).
        let service = DeliveryService(store: store, router: router, speedup: 100, logger: Logger(label: "test"))
        let task = Task { try await service.run() }
        defer { task.cancel() }

        // Delivered at once.
        try await service.accept([delivery(now: service.now)])
        #expect(try await waitUntil { sink.count == 1 })

        // Two transient failures, then success: delivered on the third attempt.
        sink.failures.withLock { $0 = [.transient("ThrottlingException", "slow down"), .transient("ThrottlingException", "slow down")] }
        try await service.accept([delivery(now: service.now)])
        #expect(try await waitUntil { sink.count == 2 })
        #expect(sink.taken.withLock { $0.last?.attempts } == 2)

        // Out of retries: to the dead-letter queue with EventBridge's error attributes.
        sink.failures.withLock { $0 = Array(repeating: .transient("ThrottlingException", "slow down"), count: 3) }
        try await service.accept([delivery(deadLetter: DeadLetter(arn: "arn:aws:sqs:us-east-1:000000000000:dlq",
                                                                   attributes: ["RULE_ARN": .string("arn:rule")]), now: service.now)])
        #expect(try await waitUntil { queue.count == 1 })
        let letter = try #require(queue.taken.withLock { $0.first })
        #expect(letter.target == "arn:aws:sqs:us-east-1:000000000000:dlq")
        #expect(letter.attributes["RULE_ARN"]?.stringValue == "arn:rule")
        #expect(letter.attributes["ERROR_CODE"]?.stringValue == "ThrottlingException")
        #expect(letter.attributes["EXHAUSTED_RETRY_CONDITION"]?.stringValue == "MaximumRetryAttempts")
        #expect(letter.attributes["RETRY_ATTEMPTS"]?.stringValue == "2")
        #expect(sink.count == 2)

        // A failure that will not heal is dead-lettered at once, without the retry condition.
        sink.failures.withLock { $0 = [.notFound("no such function")] }
        try await service.accept([delivery(deadLetter: DeadLetter(arn: "arn:aws:sqs:us-east-1:000000000000:dlq"), now: service.now)])
        #expect(try await waitUntil { queue.count == 2 })
        let second = try #require(queue.taken.withLock { $0.last })
        #expect(second.attributes["ERROR_CODE"]?.stringValue == "ResourceNotFoundException")
        #expect(second.attributes["EXHAUSTED_RETRY_CONDITION"] == nil)
        #expect(try await waitUntil { try await store.pendingDeliveryCount() == 0 })
        #expect(service.counters.deadLettered == 2)
    }

    @Test func acceptedDeliveriesSurviveARestartAndLeasesEnd() async throws {
        let store = try makeStore()
        let router = DeliveryRouter()
        let sink = RecordingSink()
        router.register("test", sink)
        // Accepted and claimed by a process that "died" (never delivered): the lease keeps it from others until released.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try await store.enqueueDeliveries([delivery(now: now), delivery(now: now)])
        #expect(try await store.claimDueDeliveries(now: now, leaseUntil: now + 600_000, limit: 10).count == 2)
        #expect(try await store.claimDueDeliveries(now: now, leaseUntil: now + 600_000, limit: 10).isEmpty)
        // A new service releases the leases at start and delivers both.
        let service = DeliveryService(store: store, router: router, logger: Logger(label: "test"))
        let task = Task { try await service.run() }
        defer { task.cancel() }
        #expect(try await waitUntil { sink.count == 2 })
        #expect(try await waitUntil { try await store.pendingDeliveryCount() == 0 })
    }

    @Test func tooOldIsNotAttempted() async throws {
        let store = try makeStore()
        let router = DeliveryRouter()
        let sink = RecordingSink()
        router.register("test", sink)
        let service = DeliveryService(store: store, router: router, logger: Logger(label: "test"))
        var old = delivery(now: service.now - 7_200_000)
        old.dueAt = service.now
        let task = Task { try await service.run() }
        defer { task.cancel() }
        try await service.accept([old])
        #expect(try await waitUntil { service.counters.dropped == 1 })
        #expect(sink.count == 0)
    }

    @Test func exponentialBackoffGrowsToItsCap() {
        let policy = DeliveryRetryPolicy(maximumRetries: 10, maximumAgeSeconds: nil,
                                         backoff: .exponential(initialMs: 1000, maxMs: 8000, jitter: 0))
        #expect((1...5).map { policy.delayMs(afterAttempts: $0, random: 0.5) } == [1000, 2000, 4000, 8000, 8000])
    }
}
