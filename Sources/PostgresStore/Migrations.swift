import Logging
import PostgresNIO

/// One schema change: its statements run in order, in the transaction that records it as applied.
struct Migration: Sendable {
    var id: String
    var statements: [String]
}

/// The schema, versioned in code: each migration runs once, in order. Applied under a transaction-scoped advisory
/// lock, so nodes starting at once wait for each other and each migration runs on exactly one of them.
enum Migrations {
    static let all: [Migration] = catalog + async + queues + deliveries + events + schedules + topics + metrics + identity + httpAPIs + logs + traces + blobs + nodes + changes + concurrencyLeases + nodeWarmth + workLeases + nodeProvisioned

    /// The advisory lock key of schema changes (any constant of our own; "swiftlet" in ASCII).
    static let lockKey: Int64 = 0x7377_6966_746c_6574
}

extension PostgresStore {
    /// Brings the schema up to date. Safe to call from several nodes at once. Fails with
    /// `PostgresStoreError.unreachable` when no connection can be had within the connect timeout (the pool itself
    /// would keep trying).
    public func migrate() async throws {
        try await ping()
        let applied = try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Migrations.lockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS swiftlet_migrations (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            let done = Set(try await connection.rows("SELECT id FROM swiftlet_migrations", logger).map { try $0.decode(String.self) })
            var applied: [String] = []
            for migration in Migrations.all where !done.contains(migration.id) {
                do {
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO swiftlet_migrations (id) VALUES (\(migration.id))", logger: logger)
                } catch {
                    throw PostgresStoreError.migrationFailed(migration.id, underlying: error)
                }
                applied.append(migration.id)
            }
            return applied
        }
        if !applied.isEmpty { logger.info("database migrated", metadata: ["applied": "\(applied.joined(separator: ", "))"]) }
    }

    /// Ids of the migrations the database has applied.
    public func appliedMigrations() async throws -> [String] {
        try await rows("SELECT id FROM swiftlet_migrations ORDER BY applied_at, id").map { try $0.decode(String.self) }
    }
}
