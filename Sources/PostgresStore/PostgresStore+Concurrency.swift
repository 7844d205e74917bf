import Catalog
import Foundation
import PostgresNIO

/// Reserved and provisioned concurrency. Reservations are checked against the sum of the others under one advisory
/// lock, so two nodes cannot both reserve the last of the account's pool.
extension PostgresStore {
    static let reservationLock = "swiftlet:reserved-concurrency"

    public func reservedConcurrency(of functionName: String) async throws -> Int? {
        try await rows("SELECT reserved FROM reserved_concurrency WHERE function_name = \(functionName)").first?.decode(Int.self)
    }

    public func reservedConcurrencies() async throws -> [String: Int] {
        var all: [String: Int] = [:]
        for row in try await rows("SELECT function_name, reserved FROM reserved_concurrency") {
            let (name, reserved) = try row.decode((String, Int).self)
            all[name] = reserved
        }
        return all
    }

    public func setReservedConcurrency(of functionName: String, to value: Int?,
                                       check: @Sendable (Int) throws -> Void) async throws {
        try await transaction { db in
            try await db.lock(Self.reservationLock, logger)
            guard try await !db.rows("SELECT 1 FROM functions WHERE name = \(functionName) FOR SHARE", logger).isEmpty else {
                throw StoreError.notFound
            }
            guard let value else {
                try await db.query("DELETE FROM reserved_concurrency WHERE function_name = \(functionName)", logger: logger)
                return
            }
            let others = try await db.rows("""
                SELECT COALESCE(SUM(reserved), 0)::BIGINT FROM reserved_concurrency WHERE function_name <> \(functionName)
                """, logger)[0].decode(Int.self)
            try check(others)
            try await db.query("""
                INSERT INTO reserved_concurrency (function_name, reserved) VALUES (\(functionName), \(value))
                ON CONFLICT (function_name) DO UPDATE SET reserved = excluded.reserved
                """, logger: logger)
        }
    }

    public func provisionedConcurrencyConfigs(of functionName: String) async throws -> [ProvisionedConcurrencyConfig] {
        try await rows("SELECT definition FROM provisioned_concurrency WHERE function_name = \(functionName) ORDER BY qualifier")
            .map { try Self.decode(ProvisionedConcurrencyConfig.self, try $0.decode(Data.self)) }
    }

    public func allProvisionedConcurrencyConfigs() async throws -> [ProvisionedConcurrencyConfig] {
        try await rows("SELECT definition FROM provisioned_concurrency ORDER BY function_name, qualifier")
            .map { try Self.decode(ProvisionedConcurrencyConfig.self, try $0.decode(Data.self)) }
    }

    public func putProvisionedConcurrencyConfig(_ config: ProvisionedConcurrencyConfig) async throws {
        let blob = try Self.encode(config)
        try await transaction { db in
            guard try await !db.rows("SELECT 1 FROM functions WHERE name = \(config.functionName) FOR SHARE", logger).isEmpty else {
                throw StoreError.notFound
            }
            try await db.query("""
                INSERT INTO provisioned_concurrency (function_name, qualifier, definition)
                VALUES (\(config.functionName), \(config.qualifier), \(blob))
                ON CONFLICT (function_name, qualifier) DO UPDATE SET definition = excluded.definition
                """, logger: logger)
        }
    }

    public func deleteProvisionedConcurrencyConfig(of functionName: String, qualifier: String) async throws {
        let deleted = try await rows("""
            DELETE FROM provisioned_concurrency WHERE function_name = \(functionName) AND qualifier = \(qualifier) RETURNING 1
            """)
        if deleted.isEmpty { throw StoreError.notFound }
    }
}
