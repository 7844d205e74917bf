import Foundation
import Logging
import Queues
import SQLiteStore
import Testing

/// FIFO queues over the real SQLite store: group order and locking, deduplication, the queue type's rules.
@Suite struct FifoQueueTests {
    let clock = ManualClock()
    let broker: QueueBroker

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let clock = self.clock
        broker = QueueBroker(store: try SQLiteStore(path: dir + "/db.sqlite"),
                             addressing: QueueAddressing(region: "us-east-1", accountId: "000000000000"),
                             logger: Logger(label: "test"), clock: { clock.ms.load(ordering: .relaxed) })
    }

    func fifo(_ name: String = "q.fifo", _ attributes: [String: String] = [:]) async throws -> QueueDefinition {
        try await broker.createQueue(name: name, attributes: attributes.merging(["FifoQueue": "true", "VisibilityTimeout": "5"]) { a, _ in a },
                                     tags: [:])
    }

    func send(_ q: QueueDefinition, _ body: String, group: String, dedup: String? = nil) async throws -> SentMessage {
        try await broker.send([OutgoingMessage(body: body, groupId: group, deduplicationId: dedup ?? body)], to: q, senderId: "me")[0]
    }

    func receive(_ q: QueueDefinition, max: Int = 10) async throws -> [ReceivedMessage] {
        try await broker.receive(from: q, max: max, visibilityTimeout: nil, waitSeconds: 0)
    }

    @Test func aGroupIsReceivedInOrderAndHeldWhileOneOfItsMessagesIsInFlight() async throws {
        let q = try await fifo()
        for i in 1...3 {
            _ = try await send(q, "a\(i)", group: "a")
            _ = try await send(q, "b\(i)", group: "b")
        }
        // As many of one group as possible, in order.
        let first = try await receive(q, max: 2)
        #expect(first.map(\.message.body) == ["a1", "a2"])
        let second = try await receive(q, max: 1)
        #expect(second.map(\.message.body) == ["b1"])
        // Both groups are held: nothing more until one is released.
        #expect(try await receive(q).isEmpty)
        for r in first { try await broker.delete(receipt: r.receipt, from: q) }
        let rest = try await receive(q)
        #expect(rest.map(\.message.body) == ["a3"])
        try await broker.delete(receipt: rest[0].receipt, from: q)
        // b1 was never deleted: when its visibility expires it comes first again, then the rest of b.
        clock.advance(5_000)
        let again = try await receive(q)
        #expect(again.map(\.message.body) == ["b1", "b2", "b3"])
        #expect(again[0].message.receiveCount == 2)
    }

    @Test func sequenceNumbersGrowAndRepeatedSendsAreDeduplicatedForFiveMinutes() async throws {
        let q = try await fifo()
        let one = try await send(q, "x", group: "g", dedup: "d1")
        let two = try await send(q, "y", group: "g", dedup: "d2")
        #expect(one.sequenceNumber! < two.sequenceNumber!)
        let digits = one.sequenceNumber!.allSatisfy { $0.isNumber }
        #expect(digits)
        let repeated = try await send(q, "x again", group: "g", dedup: "d1")
        #expect(repeated.messageId == one.messageId)
        #expect(repeated.sequenceNumber == one.sequenceNumber)
        // Received and deleted: still a duplicate within the interval.
        for r in try await receive(q) { try await broker.delete(receipt: r.receipt, from: q) }
        #expect(try await send(q, "x", group: "g", dedup: "d1").messageId == one.messageId)
        #expect(try await receive(q).isEmpty)
        clock.advance(Deduplication.intervalMs)
        let later = try await send(q, "x", group: "g", dedup: "d1")
        #expect(later.messageId != one.messageId)
        #expect(try await receive(q).map(\.message.body) == ["x"])
    }

    @Test func contentBasedAndPerGroupDeduplication() async throws {
        let content = try await fifo("content.fifo", ["ContentBasedDeduplication": "true"])
        let a = try await broker.send([OutgoingMessage(body: "same", groupId: "g")], to: content, senderId: "me")[0]
        let b = try await broker.send([OutgoingMessage(body: "same", groupId: "h")], to: content, senderId: "me")[0]
        let c = try await broker.send([OutgoingMessage(body: "other", groupId: "g")], to: content, senderId: "me")[0]
        #expect(a.messageId == b.messageId)
        #expect(a.messageId != c.messageId)

        let perGroup = try await fifo("groups.fifo", ["DeduplicationScope": "messageGroup"])
        let g = try await send(perGroup, "1", group: "g", dedup: "d")
        let h = try await send(perGroup, "2", group: "h", dedup: "d")
        #expect(g.messageId != h.messageId)
        #expect(try await send(perGroup, "3", group: "g", dedup: "d").messageId == g.messageId)
    }

    @Test func theQueueTypeSetsTheRules() async throws {
        let q = try await fifo()
        let standard = try await broker.createQueue(name: "plain", attributes: [:], tags: [:])
        func refused(_ message: OutgoingMessage, _ queue: QueueDefinition) -> Bool {
            (try? broker.check(message, queue: queue)) == nil
        }
        #expect(refused(OutgoingMessage(body: "no group", deduplicationId: "d"), q))
        #expect(refused(OutgoingMessage(body: "no dedup", groupId: "g"), q))
        #expect(refused(OutgoingMessage(body: "delayed", delaySeconds: 5, groupId: "g", deduplicationId: "d"), q))
        #expect(refused(OutgoingMessage(body: "long group", groupId: String(repeating: "g", count: 129), deduplicationId: "d"), q))
        #expect(refused(OutgoingMessage(body: "dedup", deduplicationId: "d"), standard))
        #expect(!refused(OutgoingMessage(body: "fair", groupId: "tenant-1"), standard))
        await #expect(throws: QueueError.self) { _ = try await broker.createQueue(name: "nofifo.fifo", attributes: [:], tags: [:]) }
        await #expect(throws: QueueError.self) { _ = try await broker.createQueue(name: "nosuffix", attributes: ["FifoQueue": "true"], tags: [:]) }
        await #expect(throws: QueueError.self) {
            _ = try await broker.createQueue(name: "std", attributes: ["ContentBasedDeduplication": "true"], tags: [:])
        }
        await #expect(throws: QueueError.self) { try await broker.setAttributes(of: q, ["FifoQueue": "false"]) }
        // A FIFO queue's dead letters go to a FIFO queue.
        let policy = #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:plain","maxReceiveCount":2}"#
        await #expect(throws: QueueError.self) { try await broker.setAttributes(of: q, ["RedrivePolicy": policy]) }
    }

    @Test func aRetriedReceiveWithTheSameAttemptIdGetsTheSameMessagesUntilOneChanges() async throws {
        let q = try await fifo()
        for i in 1...3 { _ = try await send(q, "m\(i)", group: "g\(i)") }
        let first = try await broker.receive(from: q, max: 2, visibilityTimeout: nil, waitSeconds: 0, attemptId: "try-1")
        clock.advance(1_000)
        let retried = try await broker.receive(from: q, max: 2, visibilityTimeout: nil, waitSeconds: 0, attemptId: "try-1")
        #expect(retried.map(\.receipt) == first.map(\.receipt))
        #expect(retried.map(\.message.id) == first.map(\.message.id))
        // The retry leased them again: still hidden 4.5 s after the first receive's 5 s would have ended.
        clock.advance(4_500)
        #expect(try await receive(q).map(\.message.body) == ["m3"])
        // Once one of them is deleted, the attempt id no longer repeats anything.
        try await broker.delete(receipt: first[0].receipt, from: q)
        clock.advance(1_000)
        let fresh = try await broker.receive(from: q, max: 2, visibilityTimeout: nil, waitSeconds: 0, attemptId: "try-1")
        #expect(fresh.map(\.message.body) == ["m2"])
        #expect(fresh.first?.receipt != first[1].receipt)
    }

    /// A consumer whose visibility ran out cannot delete the message another consumer now holds, and so cannot
    /// free the group under it.
    @Test func aStaleReceiptDeletesNothing() async throws {
        let q = try await fifo()
        _ = try await send(q, "a1", group: "a")
        _ = try await send(q, "a2", group: "a")
        let stale = try await receive(q, max: 1)
        clock.advance(5_000)
        let current = try await receive(q, max: 1)
        #expect(current.map(\.message.body) == ["a1"])
        await #expect(throws: QueueError.self) { try await broker.delete(receipt: stale[0].receipt, from: q) }
        #expect(try await receive(q).isEmpty)
        try await broker.delete(receipt: current[0].receipt, from: q)
        #expect(try await receive(q).map(\.message.body) == ["a2"])
    }

    /// A FIFO message moved to the dead-letter queue is kept for the retention period from the move, and keeps its
    /// group's place there.
    @Test func aRedrivenMessageIsRetainedFromTheMove() async throws {
        let dlq = try await fifo("dead.fifo", ["MessageRetentionPeriod": "60"])
        let policy = #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dead.fifo","maxReceiveCount":1}"#
        let q = try await fifo("work.fifo", ["RedrivePolicy": policy, "MessageRetentionPeriod": "600"])
        _ = try await send(q, "m", group: "g")
        #expect(try await receive(q).count == 1)
        clock.advance(50_000)
        #expect(try await receive(q).isEmpty)  // moved on this receive
        clock.advance(30_000)  // 80 s after the send, 30 s after the move
        let dead = try await receive(dlq)
        #expect(dead.map(\.message.body) == ["m"])
        #expect(dead.first?.message.deduplicationId == dead.first?.message.id)
    }

    /// Many messages waiting in held groups cost a receive nothing: it looks at free groups only.
    @Test func heldGroupsWithLongBacklogsAreSkipped() async throws {
        let q = try await fifo()
        for i in 0..<200 {
            _ = try await broker.send([OutgoingMessage(body: "a\(i)", groupId: "a", deduplicationId: "a\(i)")], to: q, senderId: "me")
        }
        _ = try await send(q, "b0", group: "b")
        #expect(try await receive(q, max: 10).map(\.message.body) == (0..<10).map { "a\($0)" })
        #expect(try await receive(q, max: 10).map(\.message.body) == ["b0"])
        #expect(try await receive(q, max: 10).isEmpty)
    }

    /// A lease on any message holds the group, not only one on its first: making the first visible again while a
    /// later one is in flight does not free the group.
    @Test func aLaterMessageInFlightStillHoldsTheGroup() async throws {
        let q = try await fifo()
        _ = try await send(q, "a1", group: "a")
        _ = try await send(q, "a2", group: "a")
        let both = try await receive(q)
        #expect(both.map(\.message.body) == ["a1", "a2"])
        try await broker.changeVisibility(receipt: both[0].receipt, in: q, timeout: 0)
        #expect(try await receive(q).isEmpty)
        try await broker.delete(receipt: both[1].receipt, from: q)
        #expect(try await receive(q).map(\.message.body) == ["a1"])
    }

    /// A first message moved to the dead-letter queue does not use up the receive: the next of its group comes in
    /// the same call.
    @Test func aRedrivenFirstMessageLeavesRoomForTheNext() async throws {
        _ = try await fifo("dlq.fifo")
        let policy = #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq.fifo","maxReceiveCount":1}"#
        let q = try await fifo("src.fifo", ["RedrivePolicy": policy])
        _ = try await send(q, "a1", group: "a")
        _ = try await send(q, "a2", group: "a")
        #expect(try await receive(q, max: 1).map(\.message.body) == ["a1"])
        clock.advance(5_000)
        #expect(try await receive(q, max: 1).map(\.message.body) == ["a2"])
    }

    /// Deleting a message that is already gone succeeds, as a retried delete must.
    @Test func deletingTwiceSucceeds() async throws {
        let q = try await fifo()
        _ = try await send(q, "m", group: "g")
        let got = try await receive(q)
        try await broker.delete(receipt: got[0].receipt, from: q)
        try await broker.delete(receipt: got[0].receipt, from: q)
    }
}
