import Foundation
import Queues
import Testing

extension StoreContract {
    /// Queues: send, receive, visibility, delete, retention, redrive, FIFO groups, deduplication, receive attempts.
    @Suite struct Queues {
        static func queue(_ name: String, fifo: Bool = false) -> QueueDefinition {
            QueueDefinition(name: name, attributes: .initial(fifo: fifo), tags: [:], created: Date(timeIntervalSince1970: 1_700_000_000),
                            lastModified: Date(timeIntervalSince1970: 1_700_000_000))
        }

        static func message(_ id: String, at: Int64 = 0, visibleAt: Int64? = nil, group: String? = nil, dedup: String? = nil) -> StoredMessage {
            StoredMessage(id: id, body: "body-\(id)", attributes: ["a": MessageAttributeValue(DataType: "String", StringValue: "v")],
                          systemAttributes: [:], senderId: "000000000000", sentAt: at, visibleAt: visibleAt ?? at, groupId: group,
                          deduplicationId: dedup)
        }

        static let day: Int64 = 86_400_000

        func receive(_ store: any QueueStore, _ queue: String, limit: Int = 10, now: Int64, visibility: Int64 = 30_000,
                     redrive: (queue: String, maxReceiveCount: Int)? = nil, fifo: Bool = false) async throws -> [ReceivedMessage] {
            try await store.receiveMessages(from: queue, limit: limit, now: now, visibilityMs: visibility, redrive: redrive,
                                            retentionMs: 4 * Self.day, fifo: fifo)
        }

        @Test(arguments: StoreKind.allCases) func queuesAreCreatedListedReplacedDeleted(kind: StoreKind) async throws {
            try await kind.withStore { store in
                let orders = Self.queue("orders")
                #expect(try await store.createQueue(orders) == orders)
                var again = orders
                again.tags = ["x": "y"]
                // Creating an existing queue returns it unchanged.
                #expect(try await store.createQueue(again) == orders)
                _ = try await store.createQueue(Self.queue("ordersDLQ"))
                _ = try await store.createQueue(Self.queue("billing"))
                #expect(try await store.queues(prefix: nil).map(\.name) == ["billing", "orders", "ordersDLQ"])
                #expect(try await store.queues(prefix: "ord").map(\.name) == ["orders", "ordersDLQ"])
                try await store.replaceQueue(again)
                #expect(try await store.queue(named: "orders") == again)
                await #expect(throws: QueueError.queueDoesNotExist) { try await store.replaceQueue(Self.queue("nope")) }
                _ = try await store.sendMessages([Self.message("m1")], to: "orders", deduplication: nil)
                #expect(try await store.deleteQueue(named: "orders"))
                #expect(try await !store.deleteQueue(named: "orders"))
                #expect(try await store.queue(named: "orders") == nil)
                await #expect(throws: QueueError.queueDoesNotExist) {
                    _ = try await store.sendMessages([Self.message("m2")], to: "orders", deduplication: nil)
                }
            }
        }

        @Test(arguments: StoreKind.allCases) func sendReceiveVisibilityDelete(kind: StoreKind) async throws {
            try await kind.withStore { store in
                _ = try await store.createQueue(Self.queue("q"))
                let sent = try await store.sendMessages([Self.message("m1", at: 10), Self.message("m2", at: 20),
                                                         Self.message("delayed", at: 20, visibleAt: 5_000)], to: "q", deduplication: nil)
                #expect(sent.map(\.id) == ["m1", "m2", "delayed"])
                #expect(sent.allSatisfy { $0.sequenceNumber == nil })
                #expect(try await store.counts(of: "q", now: 100) == QueueCounts(visible: 2, inFlight: 0, delayed: 1))

                let first = try await receive(store, "q", limit: 1, now: 100)
                #expect(first.map(\.message.id) == ["m1"])
                let m1 = try #require(first.first)
                #expect(m1.message.receiveCount == 1 && m1.message.firstReceiveAt == 100 && m1.message.visibleAt == 30_100)
                #expect(m1.message.body == "body-m1" && m1.message.attributes["a"]?.StringValue == "v")
                #expect(m1.message.receipt == m1.receipt)
                #expect(try await receive(store, "q", now: 100).map(\.message.id) == ["m2"])
                #expect(try await receive(store, "q", now: 200).isEmpty)
                #expect(try await store.counts(of: "q", now: 200) == QueueCounts(visible: 0, inFlight: 2, delayed: 1))
                #expect(try await store.nextVisibleAt(in: "q", after: 200) == 5_000)

                // Visibility: only the latest receipt of an in-flight message changes it.
                #expect(try await !store.changeVisibility(in: "q", id: "m1", receipt: "wrong", visibleAt: 300, now: 200))
                #expect(try await store.changeVisibility(in: "q", id: "m1", receipt: m1.receipt, visibleAt: 300, now: 200))
                let again = try await receive(store, "q", now: 300)
                #expect(again.map(\.message.id) == ["m1"])
                #expect(again.first?.message.receiveCount == 2)
                let latest = try #require(again.first?.receipt)

                // Delete: a stale receipt (message lease ended, or not the latest) is told apart from an absent message.
                #expect(try await store.deleteMessage(from: "q", id: "m1", receipt: latest, now: 100_000) == .staleReceipt)
                #expect(try await store.deleteMessage(from: "q", id: "m1", receipt: latest, now: 400) == .deleted)
                #expect(try await store.deleteMessage(from: "q", id: "m1", receipt: latest, now: 400) == .absent)
                #expect(try await store.deleteMessage(from: "q", id: "m2", receipt: nil, now: 400) == .deleted)
                try await store.deleteMessages(from: "q", ids: ["delayed", "missing"])
                #expect(try await store.counts(of: "q", now: 400) == QueueCounts(visible: 0, inFlight: 0, delayed: 0))
            }
        }

        @Test(arguments: StoreKind.allCases) func zeroVisibilityHandsAMessageOutOncePerReceive(kind: StoreKind) async throws {
            try await kind.withStore { store in
                _ = try await store.createQueue(Self.queue("q"))
                _ = try await store.sendMessages([Self.message("m1"), Self.message("m2")], to: "q", deduplication: nil)
                #expect(try await receive(store, "q", now: 1, visibility: 0).map(\.message.id) == ["m1", "m2"])
                #expect(try await receive(store, "q", now: 1, visibility: 0).count == 2)
            }
        }

        @Test(arguments: StoreKind.allCases) func retentionAndRedrive(kind: StoreKind) async throws {
            try await kind.withStore { store in
                _ = try await store.createQueue(Self.queue("q"))
                _ = try await store.createQueue(Self.queue("dlq"))
                _ = try await store.sendMessages([Self.message("old", at: 0), Self.message("m", at: 5 * Self.day)], to: "q", deduplication: nil)
                let now = 5 * Self.day
                let redrive = (queue: "dlq", maxReceiveCount: 1)
                // Past the retention period: gone.
                #expect(try await receive(store, "q", now: now, visibility: 0, redrive: redrive).map(\.message.id) == ["m"])
                #expect(try await store.counts(of: "q", now: now).visible == 1)
                // Received maxReceiveCount times: moved to the dead-letter queue instead of handed out.
                #expect(try await receive(store, "q", now: now + 1, redrive: redrive).isEmpty)
                #expect(try await store.counts(of: "q", now: now + 1) == QueueCounts(visible: 0, inFlight: 0, delayed: 0))
                let dead = try await receive(store, "dlq", now: now + 2)
                #expect(dead.map(\.message.id) == ["m"])
                #expect(dead.first?.message.receiveCount == 1)
            }
        }

        @Test(arguments: StoreKind.allCases) func purge(kind: StoreKind) async throws {
            try await kind.withStore { store in
                _ = try await store.createQueue(Self.queue("q.fifo", fifo: true))
                _ = try await store.sendMessages([Self.message("m1", group: "g", dedup: "d1")], to: "q.fifo",
                                                 deduplication: Deduplication(perGroup: false, now: 0))
                try await store.purge(queue: "q.fifo")
                #expect(try await store.counts(of: "q.fifo", now: 1) == QueueCounts(visible: 0, inFlight: 0, delayed: 0))
                _ = try await store.sendMessages([Self.message("m2", group: "g", dedup: "d2")], to: "q.fifo",
                                                 deduplication: Deduplication(perGroup: false, now: 0))
                #expect(try await receive(store, "q.fifo", now: 1, fifo: true).map(\.message.id) == ["m2"])
            }
        }

        @Test(arguments: StoreKind.allCases) func fifoKeepsGroupsInOrderAndHoldsGroupsInFlight(kind: StoreKind) async throws {
            try await kind.withStore { store in
                _ = try await store.createQueue(Self.queue("q.fifo", fifo: true))
                let dedup = Deduplication(perGroup: false, now: 0)
                let sent = try await store.sendMessages([
                    Self.message("a1", group: "A", dedup: "a1"), Self.message("b1", group: "B", dedup: "b1"),
                    Self.message("a2", group: "A", dedup: "a2"), Self.message("b2", group: "B", dedup: "b2"),
                ], to: "q.fifo", deduplication: dedup)
                let numbers = sent.compactMap(\.sequenceNumber)
                #expect(numbers.count == 4 && numbers == numbers.sorted() && Set(numbers).count == 4)

                // One group's messages in order, then the next group's.
                let first = try await receive(store, "q.fifo", limit: 3, now: 1, fifo: true)
                #expect(first.map(\.message.id) == ["a1", "a2", "b1"])
                // A and B have messages in flight: nothing more until they are deleted or their visibility ends.
                #expect(try await receive(store, "q.fifo", now: 2, fifo: true).isEmpty)
                for received in first { #expect(try await store.deleteMessage(from: "q.fifo", id: received.message.id, receipt: received.receipt, now: 3) == .deleted) }
                #expect(try await receive(store, "q.fifo", now: 4, fifo: true).map(\.message.id) == ["b2"])
            }
        }

        @Test(arguments: StoreKind.allCases) func fifoGroupReturnsAfterItsVisibility(kind: StoreKind) async throws {
            try await kind.withStore { store in
                _ = try await store.createQueue(Self.queue("q.fifo", fifo: true))
                _ = try await store.sendMessages([Self.message("a1", group: "A", dedup: "a1"), Self.message("a2", group: "A", dedup: "a2")],
                                                 to: "q.fifo", deduplication: Deduplication(perGroup: false, now: 0))
                let first = try await receive(store, "q.fifo", limit: 1, now: 1, visibility: 100, fifo: true)
                #expect(first.map(\.message.id) == ["a1"])
                // a2 is visible, but its group is held by a1's lease.
                #expect(try await receive(store, "q.fifo", now: 50, fifo: true).isEmpty)
                let again = try await receive(store, "q.fifo", now: 101, visibility: 100, fifo: true)
                #expect(again.map(\.message.id) == ["a1", "a2"])
                #expect(again.first?.message.receiveCount == 2)
                // Changing a lease's visibility frees the group at once.
                let a1 = try #require(again.first)
                #expect(try await store.changeVisibility(in: "q.fifo", id: "a1", receipt: a1.receipt, visibleAt: 150, now: 110))
                let a2 = try #require(again.last)
                #expect(try await store.deleteMessage(from: "q.fifo", id: "a2", receipt: a2.receipt, now: 120) == .deleted)
                #expect(try await receive(store, "q.fifo", now: 149, fifo: true).isEmpty)
                #expect(try await receive(store, "q.fifo", now: 150, fifo: true).map(\.message.id) == ["a1"])
            }
        }

        @Test(arguments: StoreKind.allCases) func fifoDeduplication(kind: StoreKind) async throws {
            try await kind.withStore { store in
                _ = try await store.createQueue(Self.queue("q.fifo", fifo: true))
                let first = try await store.sendMessages([Self.message("m1", group: "A", dedup: "d")], to: "q.fifo",
                                                         deduplication: Deduplication(perGroup: false, now: 0))
                // The same deduplication id within the interval: the earlier message stands for it, nothing is stored.
                let repeated = try await store.sendMessages([Self.message("m2", group: "B", dedup: "d")], to: "q.fifo",
                                                            deduplication: Deduplication(perGroup: false, now: 1_000))
                #expect(repeated.first?.id == "m1")
                #expect(repeated.first?.sequenceNumber == first.first?.sequenceNumber)
                #expect(try await store.counts(of: "q.fifo", now: 2_000).visible == 1)
                // Per group: the same id in another group is another message.
                _ = try await store.createQueue(Self.queue("g.fifo", fifo: true))
                let perGroup = try await store.sendMessages([Self.message("p1", group: "A", dedup: "d"), Self.message("p2", group: "B", dedup: "d")],
                                                            to: "g.fifo", deduplication: Deduplication(perGroup: true, now: 0))
                #expect(perGroup.map(\.id) == ["p1", "p2"])
                // After the interval, the id is new again.
                let later = try await store.sendMessages([Self.message("m3", group: "A", dedup: "d")], to: "q.fifo",
                                                         deduplication: Deduplication(perGroup: false, now: Deduplication.intervalMs + 1))
                #expect(later.first?.id == "m3")
            }
        }

        @Test(arguments: StoreKind.allCases) func fifoRedriveAndRetention(kind: StoreKind) async throws {
            try await kind.withStore { store in
                _ = try await store.createQueue(Self.queue("q.fifo", fifo: true))
                _ = try await store.createQueue(Self.queue("dlq.fifo", fifo: true))
                _ = try await store.sendMessages([Self.message("a1", group: "A", dedup: "x1"), Self.message("a2", group: "A", dedup: "x2")],
                                                 to: "q.fifo", deduplication: Deduplication(perGroup: false, now: 0))
                let redrive = (queue: "dlq.fifo", maxReceiveCount: 1)
                #expect(try await receive(store, "q.fifo", limit: 1, now: 1, visibility: 10, redrive: redrive, fifo: true).map(\.message.id) == ["a1"])
                // a1 goes to the dead-letter queue; a2 follows in order.
                #expect(try await receive(store, "q.fifo", limit: 1, now: 20, visibility: 10, redrive: redrive, fifo: true).map(\.message.id) == ["a2"])
                let dead = try await receive(store, "dlq.fifo", now: 21, fifo: true)
                #expect(dead.map(\.message.id) == ["a1"])
                // There its deduplication id is its message id.
                #expect(dead.first?.message.deduplicationId == "a1")
            }
        }

        @Test(arguments: StoreKind.allCases) func fifoReceiveAttemptsRepeat(kind: StoreKind) async throws {
            try await kind.withStore { store in
                _ = try await store.createQueue(Self.queue("q.fifo", fifo: true))
                _ = try await store.sendMessages([Self.message("a1", group: "A", dedup: "a1")], to: "q.fifo",
                                                 deduplication: Deduplication(perGroup: false, now: 0))
                #expect(try await store.repeatReceive(from: "q.fifo", attemptId: "t", now: 1, visibilityMs: 100) == nil)
                let received = try await receive(store, "q.fifo", now: 1, visibility: 100, fifo: true)
                try await store.rememberReceive(in: "q.fifo", attemptId: "t", received: received, expiresAt: 300_001)
                let repeated = try #require(try await store.repeatReceive(from: "q.fifo", attemptId: "t", now: 50, visibilityMs: 100))
                #expect(repeated.map(\.receipt) == received.map(\.receipt))
                #expect(repeated.first?.message.visibleAt == 150)
                // The group stays held until the new visibility.
                #expect(try await receive(store, "q.fifo", now: 120, fifo: true).isEmpty)
                // A message changed since (deleted) ends the repeat.
                #expect(try await store.deleteMessage(from: "q.fifo", id: "a1", receipt: nil, now: 130) == .deleted)
                #expect(try await store.repeatReceive(from: "q.fifo", attemptId: "t", now: 140, visibilityMs: 100) == nil)
            }
        }

        @Test(arguments: StoreKind.allCases) func concurrentReceiversNeverShareAMessage(kind: StoreKind) async throws {
            try await kind.withStore { store in
                _ = try await store.createQueue(Self.queue("q"))
                _ = try await store.sendMessages((0..<60).map { Self.message("m\($0)") }, to: "q", deduplication: nil)
                let ids = try await withThrowingTaskGroup(of: [String].self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            var mine: [String] = []
                            while true {
                                let batch = try await receive(store, "q", limit: 5, now: 1)
                                if batch.isEmpty { return mine }
                                mine += batch.map(\.message.id)
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(ids.count == 60)
                #expect(Set(ids).count == 60)
            }
        }
    }
}
