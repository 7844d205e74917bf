import Cluster
import Foundation

/// A `NodeStore` in memory for the registry's tests, which can be told to fail.
actor MemoryNodeStore: NodeStore {
    struct Failure: Error {}

    private(set) var nodes: [String: NodeRecord] = [:]
    private(set) var heartbeats = 0
    var failing = false

    func setFailing(_ value: Bool) { failing = value }

    func remove(_ id: String) { nodes[id] = nil }

    /// What an operator's `swiftlet cluster drain` does.
    func setStateBehindTheNodesBack(_ id: String, _ state: NodeState) { nodes[id]?.state = state }

    func registerNode(_ node: NodeRecord) async throws {
        if failing { throw Failure() }
        nodes[node.id] = node
    }

    func heartbeatNode(id: String, at: Date, address: String, load: NodeLoad) async throws -> NodeState? {
        if failing { throw Failure() }
        guard var node = nodes[id] else { return nil }
        heartbeats += 1
        node.heartbeatAt = at
        node.address = address
        node.load = load
        nodes[id] = node
        return node.state
    }

    func setNodeState(id: String, to state: NodeState) async throws -> Bool {
        if failing { throw Failure() }
        guard nodes[id] != nil else { return false }
        nodes[id]?.state = state
        return true
    }

    func listNodes() async throws -> [NodeRecord] {
        nodes.values.sorted { $0.id < $1.id }
    }

    func leasesHeld(at now: Date) async throws -> [String: NodeLeases] { [:] }
}
