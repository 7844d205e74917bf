import AWSProtocol
import Foundation
import Logging
import PlatformMetrics
import PostgresStore
import SQLiteStore

/// The store the server was configured with, open and ready, and how to close it at the end.
struct OpenedStore: Sendable {
    let store: any PlatformStore
    /// The shared database of a cluster; nil on the embedded store.
    let shared: PostgresStore?
    /// This node's id (its leases in a shared store).
    let nodeId: String
    let close: @Sendable () async -> Void
}

enum StoreOpening {
    /// Opens the embedded SQLite store in the data dir, or — with a database URL — connects to the cluster's
    /// PostgreSQL and brings its schema up to date (several nodes starting at once take turns). A wrong or unreachable
    /// database fails the start with a message that names the database and `--database-url`.
    static func open(_ config: ServerConfiguration, metrics: PlatformMetrics, logger: Logger) async throws -> OpenedStore {
        let nodeId = try config.nodeId ?? NodeIdentity.loadOrCreate(dataDir: config.dataDir)
        guard let url = config.databaseURL else {
            let store = try SQLiteStore(path: config.dataDir + "/swiftlet.sqlite", statementTimer: metrics.storeStatementTimer())
            return OpenedStore(store: store, shared: nil, nodeId: nodeId) {
                do {
                    try store.close()
                    logger.info("store closed", metadata: ["path": "\(store.path)"])
                } catch {
                    logger.error("closing the store failed", metadata: ["error": "\(error)"])
                }
            }
        }
        let store: PostgresStore
        do {
            store = try PostgresStore(url: url, nodeId: nodeId, logger: Logger(label: "swiftlet.postgres"))
        } catch {
            throw ServerStartError.database(reason: "\(error)")
        }
        // The connection pool runs beside the server until the store is closed, last.
        let pool = Task { await store.run() }
        do {
            try await store.migrate()
        } catch {
            pool.cancel()
            await pool.value
            throw ServerStartError.database(reason: "\(error)")
        }
        logger.info("store is shared", metadata: ["database": "\(store.target)", "node": "\(nodeId)"])
        return OpenedStore(store: store, shared: store, nodeId: nodeId) {
            pool.cancel()
            // The pool waits for connections still leased; a query stuck on a connection the database dropped must not
            // hold the process up: five seconds, then the process goes anyway.
            let closed = await firstAnswer({ await pool.value; return true }, {
                try? await Task.sleep(for: .seconds(5))
                return false
            })
            if closed {
                logger.info("store closed", metadata: ["database": "\(store.target)"])
            } else {
                logger.warning("the store's connections did not close within 5 s; leaving them", metadata: ["database": "\(store.target)"])
            }
        }
    }
}

/// A node's id, made once and kept in its data dir so a restarted node is the same node (and takes back its leases).
enum NodeIdentity {
    static func loadOrCreate(dataDir: String) throws -> String {
        let path = dataDir + "/node-id"
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !id.isEmpty { return id }
        }
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "node"
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let id = "\(host.isEmpty ? "node" : host)-\(suffix)"
        try Data((id + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return id
    }
}
