import Cluster
import Foundation
import Testing

@Suite struct ClusterStatusTests {
    static let now = Date(timeIntervalSince1970: 1_700_003_600)
    static let started = Date(timeIntervalSince1970: 1_700_000_000)

    static func node(_ id: String, _ state: NodeState, beatSecondsAgo: Double, load: NodeLoad = NodeLoad(), version: String = "1.0.0") -> NodeRecord {
        NodeRecord(id: id, address: "http://\(id).internal:8900", state: state, version: version, startedAt: started,
                   heartbeatAt: now.addingTimeInterval(-beatSecondsAgo), heartbeatInterval: .seconds(5), load: load)
    }

    @Test func theTableShowsEachNodesConditionLoadAndLeases() {
        let status = ClusterStatus(
            nodes: [
                Self.node("node-c", .serving, beatSecondsAgo: 300, load: NodeLoad(capacity: 64, running: 9, environments: 9, idleEnvironments: 0)),
                Self.node("node-a", .serving, beatSecondsAgo: 2, load: NodeLoad(capacity: 64, running: 3, environments: 5, idleEnvironments: 2)),
                Self.node("node-b", .draining, beatSecondsAgo: 4, load: NodeLoad(capacity: 32, running: 1, environments: 1, idleEnvironments: 0)),
                Self.node("node-d", .stopped, beatSecondsAgo: 7_260, version: ""),
            ],
            leases: ["node-a": NodeLeases(asyncEvents: 4, deliveries: 8, concurrencySlots: 3), "node-c": NodeLeases(asyncEvents: 2), "local": NodeLeases(deliveries: 1)],
            now: Self.now)
        #expect(status.text == """
            4 nodes: 1 serving, 1 draining, 1 dead, 1 stopped; leases held by 1 unregistered holder
            NODE    STATE         ADDRESS                      VERSION  STARTED               HEARTBEAT   RUNNING  ENVIRONMENTS  LEASES
            node-a  serving       http://node-a.internal:8900  1.0.0    2023-11-14T22:13:20Z  2s ago      3/64     5 (2 idle)    4 async, 8 deliveries, 3 slots
            node-b  draining      http://node-b.internal:8900  1.0.0    2023-11-14T22:13:20Z  4s ago      1/32     1 (0 idle)    0
            node-c  dead          http://node-c.internal:8900  1.0.0    2023-11-14T22:13:20Z  5m 0s ago   -        -             2 async
            node-d  stopped       http://node-d.internal:8900  -        2023-11-14T22:13:20Z  2h 01m ago  -        -             0
            local   unregistered  -                            -        -                     -           -        -             1 delivery
            dead: no heartbeat for more than 3 of its heartbeat intervals; its leases expire by themselves and other nodes take its work over

            """)
    }

    @Test func anEmptyRegistrySaysSo() {
        #expect(ClusterStatus(nodes: [], leases: [:], now: Self.now).text == "no nodes registered\n")
    }

    @Test func aHealthyClusterHasNoDeadFootnote() {
        let status = ClusterStatus(nodes: [Self.node("a", .serving, beatSecondsAgo: 1)], leases: [:], now: Self.now)
        #expect(status.text.hasPrefix("1 node: 1 serving\n"))
        #expect(!status.text.contains("dead"))
        #expect(status.rows.map(\.state) == ["serving"])
    }

    @Test(arguments: [
        (0.0, "0s"), (4.9, "4s"), (59, "59s"), (60, "1m 0s"), (192, "3m 12s"), (3_599, "59m 59s"), (3_600, "1h 00m"),
        (7_500, "2h 05m"), (86_399, "23h 59m"), (86_400, "1d 0h"), (273_600, "3d 4h"), (-12, "0s"),
    ])
    func agesAreShortAndCoarse(seconds: Double, text: String) {
        #expect(ClusterStatus.age(seconds) == text)
    }
}
