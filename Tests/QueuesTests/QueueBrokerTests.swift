import Foundation
import Logging
import Queues
import SQLiteStore
import Synchronization
import Testing

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    let ms = Atomic<Int64>(1_700_000_000_000)
    func advance(_ by: Int64) { ms.add(by, ordering: .relaxed) }
}

@Suite struct QueueBrokerTests {
    func broker(_ clock: ManualClock) throws -> QueueBroker {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("queues-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir + "/db.sqlite")
        return QueueBroker(store: store, addressing: QueueAddressing(region: "us-east-1", accountId: "000000000000"),
                           logger: Logger(label: "test"), clock: { clock.ms.load(ordering: .relaxed) })
    }

    @Test func visibilityHidesAReceivedMessageUntilItExpires() async throws {
        let clock = ManualClock()
        let broker = try broker(clock)
        let q = try await broker.createQueue(name: "q", attributes: ["VisibilityTimeout": "5"], tags: [:])
        _ = try await broker.send([OutgoingMessage(body: "one")], to: q, senderId: "me")
        let first = try await broker.receive(from: q, max: 10, visibilityTimeout: nil, waitSeconds: 0)
        #expect(first.map(\.message.body) == ["one"])
        #expect(try await broker.receive(from: q, max: 10, visibilityTimeout: nil, waitSeconds: 0).isEmpty)
        clock.advance(5_000)
        let again = try await broker.receive(from: q, max: 10, visibilityTimeout: nil, waitSeconds: 0)
        #expect(again.first?.message.receiveCount == 2)
        try await broker.delete(receipt: again[0].receipt, from: q)
        clock.advance(60_000)
        #expect(try await broker.receive(from: q, max: 10, visibilityTimeout: nil, waitSeconds: 0).isEmpty)
    }

    @Test func delayedMessagesAndRedriveToTheDeadLetterQueue() async throws {
        let clock = ManualClock()
        let broker = try broker(clock)
        let dlq = try await broker.createQueue(name: "dlq", attributes: [:], tags: [:])
        let policy = #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":2}"#
        let q = try await broker.createQueue(name: "work", attributes: ["RedrivePolicy": policy, "VisibilityTimeout": "1"], tags: [:])
        _ = try await broker.send([OutgoingMessage(body: "later", delaySeconds: 3)], to: q, senderId: "me")
        #expect(try await broker.receive(from: q, max: 1, visibilityTimeout: nil, waitSeconds: 0).isEmpty)
        clock.advance(3_000)
        for _ in 0..<2 {
            #expect(try await broker.receive(from: q, max: 1, visibilityTimeout: nil, waitSeconds: 0).count == 1)
            clock.advance(1_000)
        }
        #expect(try await broker.receive(from: q, max: 1, visibilityTimeout: nil, waitSeconds: 0).isEmpty)
        let dead = try await broker.receive(from: dlq, max: 1, visibilityTimeout: nil, waitSeconds: 0)
        #expect(dead.map(\.message.body) == ["later"])
    }

    @Test func recreatingWithOtherAttributesConflicts() async throws {
        let broker = try broker(ManualClock())
        _ = try await broker.createQueue(name: "same", attributes: ["DelaySeconds": "1"], tags: [:])
        _ = try await broker.createQueue(name: "same", attributes: ["DelaySeconds": "1"], tags: [:])
        await #expect(throws: QueueError.self) {
            _ = try await broker.createQueue(name: "same", attributes: ["DelaySeconds": "2"], tags: [:])
        }
        await #expect(throws: QueueError.self) {
            _ = try await broker.createQueue(name: "bad", attributes: ["VisibilityTimeout": "99999"], tags: [:])
        }
    }

    /// With a visibility timeout of 0 a received message is visible again at once; one receive still hands it out once.
    @Test func aReceiveWithVisibilityZeroReturnsEachMessageOnce() async throws {
        let broker = try broker(ManualClock())
        let q = try await broker.createQueue(name: "zero", attributes: [:], tags: [:])
        _ = try await broker.send([OutgoingMessage(body: "one"), OutgoingMessage(body: "two")], to: q, senderId: "me")
        let got = try await broker.receive(from: q, max: 10, visibilityTimeout: 0, waitSeconds: 0)
        #expect(got.map(\.message.body).sorted() == ["one", "two"])
        #expect(got.allSatisfy { $0.message.receiveCount == 1 })
    }
}
