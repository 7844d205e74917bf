import Catalog
import Cluster
import Foundation
import PostgresStore
import Testing

extension StoreContract {
    /// A gone node's leases are handed back at once, not when they run out.
    @Suite struct GoneNodes {
        @Test func leasesOfAStoppedOrSilentNodeAreReleasedAndThoseOfALiveOneKept() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            let now = Date()
            let nowMs = Int64(now.timeIntervalSince1970 * 1000)
            try await StoreKind.withPostgresStore(url: url, nodeId: "live") { live in
                for (id, state, beat) in [("live", NodeState.serving, now), ("silent", .serving, now.addingTimeInterval(-60)),
                                          ("stopped", .stopped, now), ("busy", .serving, now.addingTimeInterval(-2))] {
                    try await live.registerNode(StoreContract.Nodes.node(id, state: state, at: beat))
                }
                // Each other node claims one event under a lease far in the future.
                for (index, node) in ["silent", "stopped", "busy"].enumerated() {
                    try await live.enqueue(Fixtures.event("e\(index)", due: 0))
                    let leaseUntil = nowMs + 16 * 60_000
                    try await StoreKind.withPostgresStore(url: url, nodeId: node) { store in
                        let claimed = try await store.claimDueEvents(now: nowMs, leaseUntil: leaseUntil, limit: 1)
                        #expect(claimed.count == 1)
                    }
                }
                let leaseUntil = nowMs + 60_000
                let none = try await live.claimDueEvents(now: nowMs, leaseUntil: leaseUntil, limit: 10)
                #expect(none.isEmpty)
                // The silent one (60 s without a heartbeat, interval 2.5 s) and the stopped one lose theirs; busy keeps its.
                let released = try await live.releaseLeasesOfGoneNodes(at: now)
                #expect(released == 2)
                let taken = try await live.claimDueEvents(now: nowMs, leaseUntil: leaseUntil, limit: 10)
                #expect(Set(taken.map(\.id)) == ["e0", "e1"])
                let again = try await live.releaseLeasesOfGoneNodes(at: now)
                #expect(again == 0)
            }
        }
    }
}
