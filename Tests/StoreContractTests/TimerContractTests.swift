import Delivery
import Foundation
import Schedules
import Testing

extension StoreContract {
    /// Durable timers and the compare-and-swap that commits a firing exactly once.
    @Suite struct Timers {
        typealias TimersAndDeliveries = any TimerStore & DeliveryStore

        @Test(arguments: StoreKind.allCases) func timersAreUpsertedListedDeleted(kind: StoreKind) async throws {
            try await kind.withStoreServing((any TimerStore).self) { store in
                #expect(try await store.allTimers().isEmpty)
                try await store.upsertTimer(TimerRecord(kind: "rule", id: "a", dueAt: 100))
                try await store.upsertTimer(TimerRecord(kind: "rule", id: "b", dueAt: 200))
                try await store.upsertTimer(TimerRecord(kind: "schedule", id: "a", dueAt: 50))
                try await store.upsertTimer(TimerRecord(kind: "rule", id: "a", dueAt: 150))
                #expect(Set(try await store.allTimers()) == [TimerRecord(kind: "rule", id: "a", dueAt: 150),
                                                            TimerRecord(kind: "rule", id: "b", dueAt: 200),
                                                            TimerRecord(kind: "schedule", id: "a", dueAt: 50)])
                try await store.deleteTimer(kind: "rule", id: "a")
                try await store.deleteTimer(kind: "rule", id: "missing")
                #expect(Set(try await store.allTimers()) == [TimerRecord(kind: "rule", id: "b", dueAt: 200),
                                                            TimerRecord(kind: "schedule", id: "a", dueAt: 50)])
            }
        }

        /// A firing commits only if the timer still is at the due time that fired; its deliveries commit with it or not at all.
        @Test(arguments: StoreKind.allCases) func aFiringCommitsOnlyAtTheDueTimeThatFired(kind: StoreKind) async throws {
            try await kind.withStoreServing(TimersAndDeliveries.self) { store in
                #expect(try await store.commitFirings([]) == [])
                for id in ["moves", "stale", "ends"] { try await store.upsertTimer(TimerRecord(kind: "rule", id: id, dueAt: 100)) }
                let results = try await store.commitFirings([
                    TimerCommit(kind: "rule", id: "moves", firedDueAt: 100,
                                firing: TimerFiring(deliveries: [Fixtures.delivery("d-moves", due: 100)], next: 200)),
                    TimerCommit(kind: "rule", id: "stale", firedDueAt: 90,
                                firing: TimerFiring(deliveries: [Fixtures.delivery("d-stale", due: 90)], next: 200)),
                    TimerCommit(kind: "rule", id: "ends", firedDueAt: 100,
                                firing: TimerFiring(deliveries: [Fixtures.delivery("d-ends", due: 100), Fixtures.delivery("d-ends-2", due: 100)],
                                                    next: nil)),
                    TimerCommit(kind: "rule", id: "missing", firedDueAt: 100,
                                firing: TimerFiring(deliveries: [Fixtures.delivery("d-missing", due: 100)], next: 200)),
                ])
                #expect(results == [true, false, true, false])
                #expect(Set(try await store.allTimers()) == [TimerRecord(kind: "rule", id: "moves", dueAt: 200),
                                                            TimerRecord(kind: "rule", id: "stale", dueAt: 100)])
                let delivered = try await store.claimDueDeliveries(now: 1_000, leaseUntil: 10_000, limit: 10)
                #expect(Set(delivered.map(\.id)) == ["d-moves", "d-ends", "d-ends-2"])
                #expect(delivered.first { $0.id == "d-moves" } == Fixtures.delivery("d-moves", due: 100))
                // The same firing again: the due time moved on, nothing commits twice.
                #expect(try await store.commitFirings([
                    TimerCommit(kind: "rule", id: "moves", firedDueAt: 100,
                                firing: TimerFiring(deliveries: [Fixtures.delivery("d-moves-again", due: 100)], next: 200)),
                ]) == [false])
                #expect(try await store.pendingDeliveryCount() == 3)
            }
        }

        /// Two nodes fire the same due times at once, in opposite orders: each firing commits on exactly one of them,
        /// with its deliveries, round after round.
        @Test(arguments: StoreKind.allCases) func nodesFiringTheSameDueTimeCommitExactlyOnce(kind: StoreKind) async throws {
            try await kind.withTwoNodes(TimersAndDeliveries.self) { a, b in
                let ids = (0..<30).map { "t\($0)" }
                for id in ids { try await a.upsertTimer(TimerRecord(kind: "rule", id: id, dueAt: 1_000)) }
                var delivered = 0
                for round in 0..<3 {
                    let fired = Int64(1_000 + round * 1_000)
                    func commits(_ node: String, _ order: [String]) -> [TimerCommit] {
                        order.map { id in
                            TimerCommit(kind: "rule", id: id, firedDueAt: fired,
                                        firing: TimerFiring(deliveries: [Fixtures.delivery("\(node)-\(id)-\(round)", due: fired)], next: fired + 1_000))
                        }
                    }
                    let (byA, byB) = try await withThrowingTaskGroup(of: (String, [Bool]).self) { group in
                        group.addTask { ("a", try await a.commitFirings(commits("a", ids))) }
                        group.addTask { ("b", try await b.commitFirings(commits("b", ids.reversed())).reversed()) }
                        var results: [String: [Bool]] = [:]
                        for try await (node, committed) in group { results[node] = committed }
                        return (results["a"] ?? [], results["b"] ?? [])
                    }
                    #expect(byA.count == ids.count && byB.count == ids.count)
                    for (x, y) in zip(byA, byB) { #expect(x != y, "round \(round): a committed \(x), b committed \(y)") }
                    delivered += ids.count
                    #expect(try await a.pendingDeliveryCount() == delivered)
                    #expect(Set(try await b.allTimers().map(\.dueAt)) == [fired + 1_000])
                }
                let claimed = try await a.claimDueDeliveries(now: 10_000, leaseUntil: 20_000, limit: 1_000).map(\.id)
                // Per timer and round, one delivery: from whichever node committed.
                let firings = claimed.map { $0.split(separator: "-").dropFirst().joined(separator: "-") }
                #expect(Set(firings).count == claimed.count)
                #expect(claimed.count == delivered)
            }
        }
    }
}
