import Cluster
import Foundation
import PostgresStore
import Testing

extension StoreContract.Nodes {
    /// What a node has warm goes out with its registration and each heartbeat, and other nodes read it back.
    @Test func warmthTravelsWithTheLoad() async throws {
        try await Self.withTwoNodes { a, b in
            #expect(try await a.appliedMigrations().contains("028-node-warmth"))
            let warm = [NodeWarmth(function: "f", version: "$LATEST", revisionId: "r1", idle: 2),
                        NodeWarmth(function: "g", version: "3", revisionId: "r9", idle: 1)]
            try await a.registerNode(Self.node("a", load: NodeLoad(capacity: 64, environments: 3, idleEnvironments: 3, warm: warm)))
            #expect(try await b.listNodes().first?.load.warm == warm)
            // Each heartbeat replaces it: all used now.
            let busy = NodeLoad(capacity: 64, running: 3, environments: 3, idleEnvironments: 0)
            #expect(try await a.heartbeatNode(id: "a", at: Self.started.addingTimeInterval(5), address: "http://a:8900", load: busy) == .serving)
            #expect(try await b.listNodes().first?.load == busy)
        }
    }
}
