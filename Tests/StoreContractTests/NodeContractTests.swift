import Catalog
import Cluster
import Foundation
import PostgresStore
import Synchronization
import Testing

extension StoreContract {
    /// The cluster's node registry and shared secrets: PostgreSQL only (an SQLite store is one node's).
    @Suite struct Nodes {
        static let started = Date(timeIntervalSince1970: 1_700_000_000)

        static func node(_ id: String, state: NodeState = .serving, at: Date = started, load: NodeLoad = NodeLoad(capacity: 64)) -> NodeRecord {
            NodeRecord(id: id, address: "http://\(id):8900", state: state, version: "1.0.0", startedAt: at, heartbeatAt: at,
                       heartbeatInterval: .milliseconds(2_500), load: load)
        }

        /// Two nodes (`a`, `b`) on one fresh database.
        static func withTwoNodes(_ body: (PostgresStore, PostgresStore) async throws -> Void) async throws {
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await StoreKind.withPostgresStore(url: url, nodeId: "a") { a in
                try await StoreKind.withPostgresStore(url: url, nodeId: "b") { b in
                    try await body(a, b)
                }
            }
        }

        @Test func nodesRegisterBeatAndChangeState() async throws {
            try await Self.withTwoNodes { a, b in
                #expect(try await a.hasNodeRegistry())
                #expect(try await a.appliedMigrations().contains("025-nodes"))
                #expect(try await a.listNodes().isEmpty)
                try await a.registerNode(Self.node("a"))
                try await b.registerNode(Self.node("b", at: Self.started.addingTimeInterval(1)))
                #expect(try await b.listNodes() == [Self.node("a"), Self.node("b", at: Self.started.addingTimeInterval(1))])

                // Stored to the millisecond.
                let beat = Date(timeIntervalSince1970: 1_700_000_005.123)
                let load = NodeLoad(capacity: 64, running: 3, environments: 5, idleEnvironments: 2)
                #expect(try await a.heartbeatNode(id: "a", at: beat, address: "http://10.0.0.5:8900", load: load) == .serving)
                var nodeA = try #require(try await b.listNodes().first { $0.id == "a" })
                #expect(nodeA.heartbeatAt == beat)
                #expect(nodeA.load == load)
                #expect(nodeA.address == "http://10.0.0.5:8900")
                #expect(nodeA.startedAt == Self.started)

                // An operator drains a (from anywhere); a's next heartbeat reads it back and keeps it.
                #expect(try await b.setNodeState(id: "a", to: .draining))
                #expect(try await a.heartbeatNode(id: "a", at: beat.addingTimeInterval(2.5), address: "http://10.0.0.5:8900", load: load) == .draining)
                nodeA = try #require(try await a.listNodes().first { $0.id == "a" })
                #expect(nodeA.state == .draining)
                try await a.setNodeState(id: "a", to: .stopped)
                #expect(try await b.listNodes().map(\.state) == [.stopped, .serving])

                // Unknown nodes.
                #expect(try await a.heartbeatNode(id: "zz", at: beat, address: "x", load: load) == nil)
                #expect(try await a.setNodeState(id: "zz", to: .draining) == false)

                // Starting again under the same id replaces the row whole.
                let restarted = Self.node("a", at: Self.started.addingTimeInterval(3_600))
                try await a.registerNode(restarted)
                #expect(try await b.listNodes().first { $0.id == "a" } == restarted)
                #expect(try await b.listNodes().count == 2)
            }
        }

        @Test func leasesAreCountedByHolderWhileUnexpired() async throws {
            try await Self.withTwoNodes { a, b in
                for i in 0..<4 { try await a.enqueue(Fixtures.event("e\(i)", due: Int64(i))) }
                try await a.enqueueDeliveries((0..<3).map { Fixtures.delivery("d\($0)", due: Int64($0)) })
                #expect(try await a.claimDueEvents(now: 10, leaseUntil: 1_000, limit: 2).count == 2)
                #expect(try await b.claimDueEvents(now: 10, leaseUntil: 2_000, limit: 1).count == 1)
                #expect(try await b.claimDueDeliveries(now: 10, leaseUntil: 2_000, limit: 2).count == 2)
                #expect(try await b.leaseConcurrency(pool: "account", node: "b", count: 4, limit: 10, now: Date(timeIntervalSince1970: 0),
                                                     until: Date(timeIntervalSince1970: 2)) == 4)
                // One event and one delivery are waiting, held by nobody.
                let at500 = try await a.leasesHeld(at: Date(timeIntervalSince1970: 0.5))
                #expect(at500 == ["a": NodeLeases(asyncEvents: 2), "b": NodeLeases(asyncEvents: 1, deliveries: 2, concurrencySlots: 4)])
                // a's leases ended at 1 000 ms: work nobody holds until someone claims it again.
                #expect(try await b.leasesHeld(at: Date(timeIntervalSince1970: 1)) == ["b": NodeLeases(asyncEvents: 1, deliveries: 2, concurrencySlots: 4)])
                // Released leases (a node restarting) are not held.
                try await b.releaseDeliveryLeases()
                #expect(try await b.leasesHeld(at: Date(timeIntervalSince1970: 1)) == ["b": NodeLeases(asyncEvents: 1, concurrencySlots: 4)])
                #expect(try await b.leasesHeld(at: Date(timeIntervalSince1970: 2)).isEmpty)

                // The status table reads the same figures.
                try await a.registerNode(Self.node("a", at: Date(timeIntervalSince1970: 0)))
                let status = ClusterStatus(nodes: try await a.listNodes(), leases: at500, now: Date(timeIntervalSince1970: 0.5))
                #expect(status.rows.map(\.node) == ["a", "b"])
                #expect(status.rows.map(\.state) == ["serving", "unregistered"])
                #expect(status.rows.map(\.leases) == ["2 async", "1 async, 2 deliveries, 4 slots"])
            }
        }

        @Test func aSharedSecretIsMadeOnceForEveryNode() async throws {
            let made = MadeSecrets()
            try await Self.withTwoNodes { a, b in
                let results = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                    for i in 0..<10 {
                        let store = i % 2 == 0 ? a : b
                        group.addTask { try await store.sharedSecret(named: "identity-key", orCreate: made.make) }
                    }
                    return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
                }
                #expect(results.count == 10)
                #expect(Set(results).count == 1)
                let secret = try #require(results.first)
                #expect(secret.count == 32)
                #expect(made.all.contains(secret))
                // Later callers get it without making one; other names are other secrets.
                #expect(try await b.sharedSecret(named: "identity-key") { [1, 2, 3] } == secret)
                #expect(try await a.sharedSecret(named: "root-credentials") { Array("AKIA\nsecret".utf8) } == Array("AKIA\nsecret".utf8))
                #expect(try await b.sharedSecret(named: "root-credentials") { [] } == Array("AKIA\nsecret".utf8))
            }
        }
    }
}

/// Secrets the callers made, whether stored or not.
final class MadeSecrets: Sendable {
    private let made = Mutex<[[UInt8]]>([])

    var all: [[UInt8]] { made.withLock { $0 } }

    @Sendable func make() -> [UInt8] {
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        made.withLock { $0.append(bytes) }
        return bytes
    }
}
