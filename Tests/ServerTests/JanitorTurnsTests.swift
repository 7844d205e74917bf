import Catalog
import Foundation
import Synchronization
import Testing
@testable import Server

/// A retention job runs on one node of a cluster at a time: the node holding its lease, which another node takes once
/// the holder stopped renewing it.
@Suite struct JanitorTurnsTests {
    /// One lease per (kind, item), as `work_leases` keeps them; a claim renews the caller's or takes a lapsed one.
    final class Leases: WorkLeaseStore, Sendable {
        private let held = Mutex<[String: (node: String, until: Date)]>([:])
        let failing = Atomic<Bool>(false)

        func claimWork(kind: String, items: Set<String>, node: String, now: Date, until: Date) async throws -> Set<String> {
            if failing.load(ordering: .relaxed) { throw CancellationError() }
            return held.withLock { held in
                var mine = Set<String>()
                for item in items {
                    let key = kind + "/" + item
                    if let holder = held[key], holder.node != node, holder.until > now { continue }
                    held[key] = (node, until)
                    mine.insert(item)
                }
                return mine
            }
        }

        func releaseWork(kind: String, node: String) async throws {}
    }

    @Test func aloneEveryTurnIsThisNodes() async {
        #expect(await JanitorTurns.alone.turn(of: "log-retention", lease: 60)())
    }

    @Test func aJobRunsOnTheNodeHoldingItsLeaseUntilThatLapses() async throws {
        let leases = Leases()
        let a = JanitorTurns(leases: leases, node: "a").turn(of: "log-retention", lease: 0.3)
        let b = JanitorTurns(leases: leases, node: "b").turn(of: "log-retention", lease: 0.3)
        #expect(await a())
        #expect(await !b())
        #expect(await a(), "the holder keeps its turn by asking again")
        // Another job is another lease.
        #expect(await JanitorTurns(leases: leases, node: "b").turn(of: "trace-retention", lease: 0.3)())
        // A stops asking (it left or died): B's turn comes once A's lease lapsed.
        let deadline = ContinuousClock.now + .seconds(10)
        var taken = false
        while !taken && ContinuousClock.now < deadline {
            taken = await b()
            if !taken { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(taken)
        #expect(await !a())
    }

    @Test func aNodeThatCannotReachTheStoreSkipsItsTurn() async {
        let leases = Leases()
        leases.failing.store(true, ordering: .relaxed)
        #expect(await !JanitorTurns(leases: leases, node: "a").turn(of: "log-retention", lease: 60)())
    }
}
