import Foundation

/// One node of a cluster as the shared store knows it: who it is, where it is reached, what it can take, and when
/// it last said it was alive.
public struct NodeRecord: Sendable, Codable, Equatable {
    public var id: String
    /// The node's main listener as other nodes reach it (`http://10.0.0.5:8900`).
    public var address: String
    public var state: NodeState
    public var startedAt: Date
    public var heartbeatAt: Date

    public init(id: String, address: String, state: NodeState, startedAt: Date, heartbeatAt: Date) {
        self.id = id
        self.address = address
        self.state = state
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
    }
}

/// Where a node is in its life.
public enum NodeState: String, Sendable, Codable {
    case serving, draining, stopped
}
