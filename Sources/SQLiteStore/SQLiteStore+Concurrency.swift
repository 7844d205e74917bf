import Catalog
import Foundation
import GRDB

extension SQLiteStore {
    public func reservedConcurrency(of functionName: String) async throws -> Int? {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT reserved FROM reserved_concurrency WHERE function_name = ?", arguments: [functionName])
        }
    }

    public func reservedConcurrencies() async throws -> [String: Int] {
        try await pool.read { db in
            var all: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT function_name, reserved FROM reserved_concurrency") {
                all[row["function_name"]] = row["reserved"] as Int
            }
            return all
        }
    }

    public func setReservedConcurrency(of functionName: String, to value: Int?,
                                       check: @Sendable (Int) throws -> Void) async throws {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM functions WHERE name = ?", arguments: [functionName]) == true else {
                throw StoreError.notFound
            }
            guard let value else {
                try db.execute(sql: "DELETE FROM reserved_concurrency WHERE function_name = ?", arguments: [functionName])
                return
            }
            let others = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(reserved), 0) FROM reserved_concurrency WHERE function_name != ?",
                                          arguments: [functionName]) ?? 0
            try check(others)
            try db.execute(sql: "INSERT INTO reserved_concurrency (function_name, reserved) VALUES (?, ?) ON CONFLICT(function_name) DO UPDATE SET reserved = excluded.reserved",
                           arguments: [functionName, value])
        }
    }

    public func provisionedConcurrencyConfigs(of functionName: String) async throws -> [ProvisionedConcurrencyConfig] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM provisioned_concurrency WHERE function_name = ? ORDER BY qualifier", arguments: [functionName])
        }.map { try Self.decode(ProvisionedConcurrencyConfig.self, $0) }
    }

    public func allProvisionedConcurrencyConfigs() async throws -> [ProvisionedConcurrencyConfig] {
        try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM provisioned_concurrency ORDER BY function_name, qualifier")
        }.map { try Self.decode(ProvisionedConcurrencyConfig.self, $0) }
    }

    public func putProvisionedConcurrencyConfig(_ config: ProvisionedConcurrencyConfig) async throws {
        let blob = try Self.encode(config)
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM functions WHERE name = ?", arguments: [config.functionName]) == true else {
                throw StoreError.notFound
            }
            try db.execute(sql: "INSERT INTO provisioned_concurrency (function_name, qualifier, definition) VALUES (?, ?, ?) ON CONFLICT(function_name, qualifier) DO UPDATE SET definition = excluded.definition",
                           arguments: [config.functionName, config.qualifier, blob])
        }
    }

    public func deleteProvisionedConcurrencyConfig(of functionName: String, qualifier: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM provisioned_concurrency WHERE function_name = ? AND qualifier = ?", arguments: [functionName, qualifier])
            if db.changesCount == 0 { throw StoreError.notFound }
        }
    }
}

extension SQLiteStore {
    public func policy(of resource: String) async throws -> PolicyRecord? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT revision_id, document FROM policies WHERE resource = ?", arguments: [resource]) else {
                return nil
            }
            return PolicyRecord(document: try Self.decode(PolicyDocument.self, row["document"]), revisionId: row["revision_id"])
        }
    }

    public func updatePolicy(of resource: String, expectedRevision: String?,
                             _ change: @Sendable (PolicyDocument) throws -> PolicyDocument) async throws -> PolicyRecord? {
        try await pool.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT revision_id, document FROM policies WHERE resource = ?", arguments: [resource])
            if let expectedRevision, expectedRevision != (row?["revision_id"] as String?) { throw StoreError.revisionMismatch }
            let current = try row.map { try Self.decode(PolicyDocument.self, $0["document"]) } ?? PolicyDocument()
            let next = try change(current)
            if next.Statement.isEmpty {
                try db.execute(sql: "DELETE FROM policies WHERE resource = ?", arguments: [resource])
                return nil
            }
            let record = PolicyRecord(document: next, revisionId: UUID().uuidString.lowercased())
            try db.execute(sql: "INSERT INTO policies (resource, revision_id, document) VALUES (?, ?, ?) ON CONFLICT(resource) DO UPDATE SET revision_id = excluded.revision_id, document = excluded.document",
                           arguments: [resource, record.revisionId, try Self.encode(next)])
            return record
        }
    }
}
