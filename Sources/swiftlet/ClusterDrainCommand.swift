import ArgumentParser
import Cluster
import Foundation

/// `swiftlet cluster drain --node ID`: marks a node draining in the cluster's database; the node reads it at its next
/// heartbeat.
struct ClusterDrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Mark a node draining: it finishes the work it holds and takes no new work.")

    @Option(help: "Id of the node to drain (as `swiftlet cluster status` lists it).") var node: String
    @OptionGroup var database: ClusterDatabaseOptions

    func run() async throws {
        try await ClusterDatabaseOptions.reportingFailure {
            let message = try await database.withStore { store in
                let nodes = try await store.listNodes()
                guard let record = nodes.first(where: { $0.id == node }) else {
                    let known = nodes.map(\.id).joined(separator: ", ")
                    throw ClusterCommandError("no node \(node) is registered" + (known.isEmpty ? "" : " (nodes: \(known))"))
                }
                let now = Date()
                switch NodeLiveness().condition(of: record, now: now) {
                case .stopped: throw ClusterCommandError("node \(node) is stopped: nothing to drain")
                case .dead: throw ClusterCommandError("node \(node) is dead (no heartbeat for \(ClusterStatus.age(now.timeIntervalSince(record.heartbeatAt)))): "
                                                      + "its leases expire by themselves")
                case .draining: return "node \(node) is already draining"
                case .serving:
                    guard try await store.setNodeState(id: node, to: .draining) else {
                        throw ClusterCommandError("node \(node) was removed from the registry meanwhile")
                    }
                    return "node \(node) marked draining; it notices at its next heartbeat (every \(record.heartbeatInterval))"
                }
            }
            Logs.writeOut(message + "\n")
        }
    }
}
