import Foundation

/// The rule for when a node is dead: it is not stopped and its last heartbeat is older than `missedHeartbeats` of
/// its own heartbeat intervals. Judged by each node's interval, so nodes may beat at different rates.
public struct NodeLiveness: Sendable {
    /// Heartbeats a node may miss before it is taken for dead.
    public var missedHeartbeats: Int

    public init(missedHeartbeats: Int = 3) {
        self.missedHeartbeats = max(1, missedHeartbeats)
    }

    /// How long after its last heartbeat `node` is taken for dead.
    public func deadline(of node: NodeRecord) -> TimeInterval {
        let interval = node.heartbeatInterval.components
        let seconds = Double(interval.seconds) + Double(interval.attoseconds) / 1e18
        return seconds * Double(missedHeartbeats)
    }

    public func isDead(_ node: NodeRecord, now: Date) -> Bool {
        node.state != .stopped && now.timeIntervalSince(node.heartbeatAt) > deadline(of: node)
    }

    public func condition(of node: NodeRecord, now: Date) -> NodeCondition {
        if isDead(node, now: now) { return .dead }
        switch node.state {
        case .serving: return .serving
        case .draining: return .draining
        case .stopped: return .stopped
        }
    }
}
