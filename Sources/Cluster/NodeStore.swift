import Foundation

/// The registry of a cluster's nodes, kept in the store the nodes share.
public protocol NodeStore: Sendable {
    /// Writes `node` whole, replacing what was stored under its id (a node starting again under the same id).
    func registerNode(_ node: NodeRecord) async throws

    /// Records that node `id` is alive at `at`, reachable at `address` and carrying `load`; the state stays as
    /// stored (an operator may have set it). Returns that state, or nil when no node `id` is registered.
    func heartbeatNode(id: String, at: Date, address: String, load: NodeLoad) async throws -> NodeState?

    /// Sets node `id`'s state; false when no such node is registered.
    @discardableResult
    func setNodeState(id: String, to state: NodeState) async throws -> Bool

    /// Every registered node, by id.
    func listNodes() async throws -> [NodeRecord]

    /// The leases unexpired at `now`, by the node that holds them (nodes that hold none are absent).
    func leasesHeld(at now: Date) async throws -> [String: NodeLeases]
}
