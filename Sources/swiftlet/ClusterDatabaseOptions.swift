import ArgumentParser
import Foundation
import Logging
import PostgresStore

/// Where a cluster command finds the cluster's database: `--database-url`, else `SWIFTLET_DATABASE_URL`.
struct ClusterDatabaseOptions: ParsableArguments {
    static let environmentVariable = "SWIFTLET_DATABASE_URL"

    @Option(help: "The cluster's PostgreSQL database, postgresql://user[:password]@host[:port]/database (default: $SWIFTLET_DATABASE_URL).")
    var databaseUrl: String?

    func url(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let url = databaseUrl ?? environment[Self.environmentVariable].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw ClusterCommandError("no database: pass --database-url postgresql://… or set \(Self.environmentVariable)")
        }
        return url
    }

    /// Runs `body` with a store on the cluster's database, its pool running and the database known to answer and to
    /// have the node registry; the schema is not migrated (the nodes do that).
    func withStore<T: Sendable>(_ body: (PostgresStore) async throws -> T) async throws -> T {
        // The pool logs every failed connection attempt at info while it retries: only errors reach the terminal.
        var logger = Logger(label: "swiftlet.cluster")
        logger.logLevel = .error
        let configuration = try PostgresStoreConfiguration(url: try url())
        let store = PostgresStore(configuration: configuration, nodeId: "swiftlet-cli", logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            try await store.ping()
            guard try await store.hasNodeRegistry() else {
                throw ClusterCommandError("the database at \(configuration.target) has no node registry: no Swiftlet node has served "
                                          + "with it yet (start one with swiftlet serve --database-url …)")
            }
            return try await body(store)
        }
    }

    /// Runs `body`; an error is printed on stderr (`swiftlet cluster: …`) and the command exits with status 1.
    static func reportingFailure(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            Logs.writeError("swiftlet cluster: \(error)")
            throw ExitCode.failure
        }
    }
}
