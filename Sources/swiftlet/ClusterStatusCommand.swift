import ArgumentParser
import Cluster
import Foundation

/// `swiftlet cluster status`: every node registered in the cluster's database — state (dead when its heartbeats
/// stopped), address, version, start, last heartbeat, load, leases held.
struct ClusterStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print the cluster's nodes: state, address, last heartbeat, load and the leases each holds.")

    @OptionGroup var database: ClusterDatabaseOptions

    func run() async throws {
        try await ClusterDatabaseOptions.reportingFailure {
            let status = try await database.withStore { store in
                let now = Date()
                return ClusterStatus(nodes: try await store.listNodes(), leases: try await store.leasesHeld(at: now), now: now)
            }
            Logs.writeOut(status.text)
        }
    }
}
