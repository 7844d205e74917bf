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

    /// The provisioned environments a node keeps go out with its registration and each heartbeat too (any node sums
    /// them for a configuration's status).
    @Test func provisionedSharesTravelWithTheLoad() async throws {
        try await Self.withTwoNodes { a, b in
            #expect(try await a.appliedMigrations().contains("030-node-provisioned"))
            let kept = [NodeProvisioned(function: "f", qualifier: "1", allocated: 2),
                        NodeProvisioned(function: "g", qualifier: "live", allocated: 0, failure: "FUNCTION_ERROR_INIT_FAILURE")]
            try await a.registerNode(Self.node("a", load: NodeLoad(capacity: 64, environments: 2, idleEnvironments: 2, provisioned: kept)))
            #expect(try await b.listNodes().first?.load.provisioned == kept)
            let fewer = NodeLoad(capacity: 64, environments: 1, idleEnvironments: 1, provisioned: [kept[0]])
            #expect(try await a.heartbeatNode(id: "a", at: Self.started.addingTimeInterval(5), address: "http://a:8900", load: fewer) == .serving)
            #expect(try await b.listNodes().first?.load.provisioned == [kept[0]])
        }
    }
}
