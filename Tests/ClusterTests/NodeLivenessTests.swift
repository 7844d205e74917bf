import Cluster
import Foundation
import Testing

@Suite struct NodeLivenessTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func node(_ state: NodeState, beatSecondsAgo: Double, interval: Duration = .seconds(5)) -> NodeRecord {
        NodeRecord(id: "n", address: "http://n:8900", state: state, startedAt: now.addingTimeInterval(-3_600),
                   heartbeatAt: now.addingTimeInterval(-beatSecondsAgo), heartbeatInterval: interval)
    }

    /// (stored state, seconds since the last heartbeat, interval, expected condition) with the default three missed beats.
    static let cases: [(NodeState, Double, Duration, NodeCondition)] = [
        (.serving, 0, .seconds(5), .serving),
        (.serving, 14.9, .seconds(5), .serving),
        (.serving, 15, .seconds(5), .serving),
        (.serving, 15.1, .seconds(5), .dead),
        (.draining, 10, .seconds(5), .draining),
        (.draining, 16, .seconds(5), .dead),
        // A stopped node said goodbye: never dead, however old its last heartbeat.
        (.stopped, 86_400, .seconds(5), .stopped),
        // Each node is judged by its own interval.
        (.serving, 20, .seconds(10), .serving),
        (.serving, 31, .seconds(10), .dead),
        (.serving, 1.6, .milliseconds(500), .dead),
        // A heartbeat from the future (clocks apart) is alive.
        (.serving, -30, .seconds(5), .serving),
    ]

    @Test(arguments: cases.indices) func aNodeIsDeadWhenItMissedThreeHeartbeatsWithoutStopping(index: Int) {
        let (state, ago, interval, expected) = Self.cases[index]
        let node = Self.node(state, beatSecondsAgo: ago, interval: interval)
        #expect(NodeLiveness().condition(of: node, now: Self.now) == expected)
        #expect(NodeLiveness().isDead(node, now: Self.now) == (expected == .dead))
    }

    @Test func theNumberOfMissedHeartbeatsIsARule() {
        let node = Self.node(.serving, beatSecondsAgo: 11, interval: .seconds(5))
        #expect(NodeLiveness(missedHeartbeats: 2).condition(of: node, now: Self.now) == .dead)
        #expect(NodeLiveness(missedHeartbeats: 3).condition(of: node, now: Self.now) == .serving)
        // At least one.
        #expect(NodeLiveness(missedHeartbeats: 0).missedHeartbeats == 1)
        #expect(NodeLiveness().deadline(of: node) == 15)
    }
}
