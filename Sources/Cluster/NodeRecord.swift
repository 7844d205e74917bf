import Foundation

/// One node of a cluster as the shared store knows it: who it is, where it is reached, what it can take, and when
/// it last said it was alive.
public struct NodeRecord: Sendable, Codable, Equatable {
    public var id: String
    /// The node's main listener as other nodes reach it (`http://10.0.0.5:8900`).
    public var address: String
    public var state: NodeState
    /// The Swiftlet version the node runs (a rolling upgrade shows both).
    public var version: String
    public var startedAt: Date
    public var heartbeatAt: Date
    /// How often the node promised to beat: the liveness rule judges each node by its own interval.
    public var heartbeatInterval: Duration
    /// What the node reported at its last heartbeat.
    public var load: NodeLoad

    public init(id: String, address: String, state: NodeState, version: String = "", startedAt: Date, heartbeatAt: Date,
                heartbeatInterval: Duration = .seconds(5), load: NodeLoad = NodeLoad()) {
        self.id = id
        self.address = address
        self.state = state
        self.version = version
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.heartbeatInterval = heartbeatInterval
        self.load = load
    }
}
