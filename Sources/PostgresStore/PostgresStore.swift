import Catalog
import Foundation
import Logging
import PostgresNIO
import Queues
import ServiceLifecycle

/// The shared store of a cluster: PostgreSQL through a pooled `PostgresClient`. Every method is one transaction (or
/// one statement), so a crash leaves the state before or after it, as with `SQLiteStore`. Work several nodes share
/// (async events) is claimed with `FOR UPDATE SKIP LOCKED` under leases that expire.
///
/// The owner runs it as a service (`run()` keeps the connection pool alive until cancelled or shut down gracefully)
/// and calls `migrate()` once before using it.
public final class PostgresStore: Store, QueueStore, Service {
    /// The pool, behind the gate that fails requests fast while the database is out of reach.
    let client: PoolGate
    let logger: Logger
    /// Who holds the leases this store takes: `releaseLeases` releases only these, so a node starting does not take
    /// work away from the others.
    public let nodeId: String
    /// Where the database is (no password), for messages.
    public let target: String
    /// Why the pool last failed to connect.
    let connectionErrors: ConnectionErrorRecorder
    /// How long `migrate()` waits for a first connection.
    let connectTimeout: Duration
    public var kind: String { "postgresql" }

    public init(configuration: PostgresStoreConfiguration, nodeId: String = "local",
                logger: Logger = Logger(label: "swiftlet.postgres")) {
        let health = PoolHealth()
        let connectionErrors = ConnectionErrorRecorder(health: health)
        self.connectionErrors = connectionErrors
        self.client = PoolGate(pool: PostgresClient(configuration: configuration.client, backgroundLogger: connectionErrors.recording(logger)),
                               health: health, target: configuration.target)
        self.logger = logger
        self.nodeId = nodeId
        self.target = configuration.target
        self.connectTimeout = configuration.client.options.connectTimeout
    }

    /// `postgresql://user[:password]@host[:port]/database[?host=/socket/dir&sslmode=disable|prefer|require]`.
    public convenience init(url: String, nodeId: String = "local", logger: Logger = Logger(label: "swiftlet.postgres")) throws {
        self.init(configuration: try PostgresStoreConfiguration(url: url), nodeId: nodeId, logger: logger)
    }

    /// Keeps the connection pool until the task is cancelled or the service group shuts down.
    public func run() async {
        await client.pool.run()
    }

    /// The server is shutting down: from now on a query that takes longer than a few seconds gives up (`unavailable`)
    /// rather than holding the shutdown.
    public func beginClosing() {
        client.health.beginClosing()
    }

    // MARK: Transactions

    /// Runs `body` in one transaction on one pooled connection: committed when it returns, rolled back when it throws
    /// (its error is rethrown as is). Retried from the start, up to three times, when PostgreSQL aborts it for a
    /// deadlock or a serialization failure.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    do {
                        let value = try await body(connection)
                        try await connection.query("COMMIT", logger: logger)
                        return value
                    } catch {
                        do {
                            try await connection.query("ROLLBACK", logger: logger)
                        } catch let rollbackError {
                            logger.error("rollback failed", metadata: ["error": "\(String(reflecting: rollbackError))"])
                        }
                        throw error
                    }
                }
            } catch let error as PSQLError where attempt < 3 && Self.isRetryable(error) {
                logger.debug("transaction retried", metadata: ["sqlState": "\(error.serverInfo?[.sqlState] ?? "")"])
                continue
            }
        }
    }

    /// Deadlock detected, serialization failure.
    static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    /// One statement outside an explicit transaction (PostgreSQL runs it atomically), its rows collected.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await client.query(query, logger: logger).collect()
    }

    // MARK: Coding

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .millisecondsSince1970
        e.outputFormatting = .sortedKeys
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }()

    static func encode(_ value: some Encodable) throws -> Data {
        try encoder.encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        try decoder.decode(T.self, from: data)
    }
}

extension PostgresConnection {
    /// Runs one statement of the store's transaction and collects its rows.
    @discardableResult
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }

    /// Takes a transaction-scoped advisory lock on `key`: writers of the same key (a policy's resource, the
    /// reservation total) wait for each other, even when the row they would lock does not exist yet.
    func lock(_ key: String, _ logger: Logger) async throws {
        try await self.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))", logger: logger)
    }

    /// Takes the lock on `key` if nobody holds it; false (without waiting) when another transaction does.
    func tryLock(_ key: String, _ logger: Logger) async throws -> Bool {
        try await rows("SELECT pg_try_advisory_xact_lock(hashtextextended(\(key), 0))", logger)[0].decode(Bool.self)
    }
}

/// Why the store could not be set up.
public enum PostgresStoreError: Error, CustomStringConvertible {
    case invalidURL(String, reason: String)
    case migrationFailed(String, underlying: any Error)
    case unreachable(String, after: Duration, lastError: String?)
    case connectionFailed(String, reason: String)
    /// The database is out of reach now (the pool cannot open connections); the request was not tried.
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason): "invalid database URL \(url): \(reason)"
        case .migrationFailed(let id, let underlying): "migration \(id) failed: \(String(reflecting: underlying))"
        case .unreachable(let target, let after, let lastError):
            "no connection to the database at \(target) within \(after)" + (lastError.map { ": \($0)" } ?? "")
        case .connectionFailed(let target, let reason): "the database at \(target) refused the connection: \(reason)"
        case .unavailable(let target): "the database at \(target) is out of reach"
        }
    }
}
