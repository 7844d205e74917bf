import Catalog
import Foundation
import PostgresStore
import Testing

extension StoreContract {
    /// Concurrency slots leased by a cluster's nodes (`ConcurrencyLeaseStore`): a pool's limit holds across nodes.
    @Suite struct ConcurrencyLeases {
        let now = Date(timeIntervalSince1970: 1_800_000_000)

        @Test func nodesNeverHoldMoreThanThePoolsLimit() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await StoreKind.withPostgresStore(url: url, nodeId: "a") { a in
                try await StoreKind.withPostgresStore(url: url, nodeId: "b") { b in
                    let until = now.addingTimeInterval(15)
                    #expect(try await a.leaseConcurrency(pool: "f", node: "a", count: 1, limit: 3, now: now, until: until) == 1)
                    #expect(try await b.leaseConcurrency(pool: "f", node: "b", count: 5, limit: 3, now: now, until: until) == 2)
                    // Full: neither gets more, and what each holds is unchanged.
                    #expect(try await a.leaseConcurrency(pool: "f", node: "a", count: 1, limit: 3, now: now, until: until) == 1)
                    #expect(try await b.leaseConcurrency(pool: "f", node: "b", count: 1, limit: 3, now: now, until: until) == 2)
                    // Another pool is separate.
                    #expect(try await a.leaseConcurrency(pool: "g", node: "a", count: 2, limit: 2, now: now, until: until) == 2)
                    #expect(try await a.concurrencyLeases(now: now) == ["f": ["a": 1, "b": 2], "g": ["a": 2]])
                    // b gives one back: a can take it.
                    try await b.renewConcurrency(node: "b", held: ["f": 1], until: until)
                    #expect(try await a.leaseConcurrency(pool: "f", node: "a", count: 1, limit: 3, now: now, until: until) == 2)
                    // Renewing with nothing gives everything back.
                    try await a.renewConcurrency(node: "a", held: [:], until: until)
                    #expect(try await a.concurrencyLeases(now: now) == ["f": ["b": 1]])
                }
            }
        }

        @Test func aNodeThatStopsRenewingLosesItsSlotsWhenTheyExpire() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await StoreKind.withPostgresStore(url: url) { store in
                func lease(_ node: String, _ count: Int, at seconds: TimeInterval) async throws -> Int {
                    try await store.leaseConcurrency(pool: "f", node: node, count: count, limit: 2, now: now.addingTimeInterval(seconds),
                                                     until: now.addingTimeInterval(seconds + 15))
                }
                let dead = try await lease("dead", 2, at: 0)
                let refused = try await lease("live", 1, at: 10)
                // Past the dead node's expiry its slots count for nobody.
                let later = try await lease("live", 2, at: 16)
                #expect(dead == 2 && refused == 0 && later == 2)
            }
        }

        @Test func concurrentLeasesOfTheLastSlotsGrantEachOnce() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await StoreKind.withPostgresStore(url: url) { store in
                let until = now.addingTimeInterval(15)
                let granted = try await withThrowingTaskGroup(of: Int.self) { group in
                    for node in 0..<10 {
                        group.addTask { try await store.leaseConcurrency(pool: "f", node: "n\(node)", count: 1, limit: 4, now: now, until: until) }
                    }
                    return try await group.reduce(0, +)
                }
                #expect(granted == 4)
            }
        }
    }
}
