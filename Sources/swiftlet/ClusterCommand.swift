import ArgumentParser

/// `swiftlet cluster …`: the nodes of a cluster that share one PostgreSQL database, read from (and, for `drain`,
/// written to) that database directly — no node needs to answer.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Look at the nodes of a cluster sharing one PostgreSQL database; drain one.",
        subcommands: [ClusterStatusCommand.self, ClusterDrainCommand.self])
}
