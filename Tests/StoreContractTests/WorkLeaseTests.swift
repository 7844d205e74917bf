import Catalog
import Cluster
import Foundation
import PostgresStore
import Testing

extension StoreContract {
    /// Work split between nodes (`WorkLeaseStore`): each item held by one node, shares even, a silent node's items taken.
    @Suite struct WorkLeases {
        let now = Date(timeIntervalSince1970: 1_800_000_000)

        @Test func nodesSplitItemsEvenlyAndTakeOverASilentOnesShare() async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await StoreKind.withPostgresStore(url: url) { store in
                let items: Set<String> = ["m1", "m2", "m3", "m4", "m5"]
                func claim(_ node: String, at seconds: TimeInterval, _ items: Set<String> = items) async throws -> Set<String> {
                    try await store.claimWork(kind: "mapping", items: items, node: node, now: now.addingTimeInterval(seconds),
                                              until: now.addingTimeInterval(seconds + 15))
                }
                // Alone, a node takes everything.
                let first = try await claim("a", at: 0)
                #expect(first == items)
                // A second node registers: it gets nothing until the first gives back its excess, then its share.
                try await store.registerNode(NodeRecord(id: "b", address: "http://b", state: .serving, version: "1", startedAt: now,
                                                        heartbeatAt: now, heartbeatInterval: .seconds(5), load: NodeLoad()))
                let bEarly = try await claim("b", at: 1)
                #expect(bEarly.isEmpty)
                let aAfter = try await claim("a", at: 2)
                #expect(aAfter.count == 3)
                let bLater = try await claim("b", at: 3)
                #expect(bLater == items.subtracting(aAfter))
                // Never both.
                #expect(aAfter.isDisjoint(with: bLater))
                // a goes silent: once its leases expire, b takes everything.
                let bAlone = try await claim("b", at: 30)
                #expect(bAlone == items)
                // An item that went away is dropped.
                let fewer = try await claim("b", at: 31, ["m1"])
                #expect(fewer == ["m1"])
                try await store.releaseWork(kind: "mapping", node: "b")
                let aBack = try await claim("a", at: 32, ["m1"])
                #expect(aBack == ["m1"])
            }
        }
    }
}
