import Catalog
import Delivery
import Queues
import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, one writer and concurrent readers.
public final class SQLiteStore: Store, QueueStore {
    let pool: DatabasePool
    public let path: String
    /// Accepted async events, committed in groups.
    let asyncEventWriter: GroupCommit<AsyncEvent>
    /// Finished async events, deleted in groups.
    let finishedEventWriter: GroupCommit<String>
    /// Accepted deliveries (each submission all or none), committed in groups.
    let deliveryWriter: GroupCommit<[Delivery]>
    /// Finished deliveries, deleted in groups.
    let finishedDeliveryWriter: GroupCommit<String>
    public var kind: String { "sqlite" }

    /// `statementTimer`, when given, is told how long each SQL statement took (seconds): the store's latency on `/metrics`.
    public init(path: String, statementTimer: (@Sendable (Double) -> Void)? = nil) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if let statementTimer {
                db.trace(options: .profile) { event in
                    if case .profile(_, let duration) = event { statementTimer(duration) }
                }
            }
        }
        let pool = try DatabasePool(path: path, configuration: config)
        self.pool = pool
        self.path = path
        self.asyncEventWriter = GroupCommit { events in try await SQLiteStore.insertEvents(events, into: pool) }
        self.finishedEventWriter = GroupCommit { ids in try await SQLiteStore.deleteEvents(ids, from: pool) }
        self.deliveryWriter = GroupCommit { groups in try await SQLiteStore.insertDeliveries(groups.flatMap { $0 }, into: pool) }
        self.finishedDeliveryWriter = GroupCommit { ids in try await SQLiteStore.deleteDeliveries(ids, from: pool) }
        try Migrations.migrator.migrate(pool)
    }

    /// Flushes the WAL into the main file and releases the database.
    public func close() throws {
        _ = try pool.writeWithoutTransaction { db in
            try db.checkpoint(.truncate)
        }
        try pool.close()
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .millisecondsSince1970
        e.outputFormatting = .sortedKeys
        return e
    }()

    static func encode(_ value: some Encodable) throws -> Data {
        try encoder.encode(value)
    }

    static func decode(_ data: Data) throws -> FunctionDefinition {
        try decode(FunctionDefinition.self, data)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return try d.decode(T.self, from: data)
    }

    public func createFunction(_ function: FunctionDefinition, tags: [String: String]) async throws {
        let blob = try Self.encode(function)
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM functions WHERE name = ?", arguments: [function.name]) == true {
                throw StoreError.alreadyExists
            }
            try db.execute(
                sql: "INSERT INTO functions (name, revision_id, code_digest, code_size, definition) VALUES (?, ?, ?, ?, ?)",
                arguments: [function.name, function.revisionId, function.code.digest.hex, function.code.size, blob])
            for (key, value) in tags {
                try db.execute(sql: "INSERT INTO function_tags (function_name, key, value) VALUES (?, ?, ?)",
                               arguments: [function.name, key, value])
            }
        }
    }

    public func function(named name: String) async throws -> FunctionDefinition? {
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM functions WHERE name = ?", arguments: [name])
        }
        return try data.map(Self.decode)
    }

    public func listFunctions(after: String?, limit: Int) async throws -> FunctionPage {
        let rows = try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT definition FROM functions WHERE name > ? ORDER BY name LIMIT ?",
                              arguments: [after ?? "", limit + 1])
        }
        var functions = try rows.map(Self.decode)
        var next: String?
        if functions.count > limit {
            functions.removeLast()
            next = functions.last?.name
        }
        return FunctionPage(functions: functions, nextAfter: next)
    }

    public func replaceFunction(_ function: FunctionDefinition, expectedRevision: String) async throws {
        let blob = try Self.encode(function)
        try await pool.write { db in
            guard let current = try String.fetchOne(db, sql: "SELECT revision_id FROM functions WHERE name = ?", arguments: [function.name]) else {
                throw StoreError.notFound
            }
            guard current == expectedRevision else { throw StoreError.revisionMismatch }
            try db.execute(
                sql: "UPDATE functions SET revision_id = ?, code_digest = ?, code_size = ?, definition = ? WHERE name = ?",
                arguments: [function.revisionId, function.code.digest.hex, function.code.size, blob, function.name])
        }
    }

    public func deleteFunction(named name: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM functions WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw StoreError.notFound }
            let prefix = "function:\(name)"
            try db.execute(sql: "DELETE FROM policies WHERE resource = ? OR substr(resource, 1, ?) = ?",
                           arguments: [prefix, prefix.utf8.count + 1, prefix + ":"])
        }
    }

    public func tags(ofFunction name: String) async throws -> [String: String]? {
        try await pool.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM functions WHERE name = ?", arguments: [name]) == true else { return nil }
            var tags: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM function_tags WHERE function_name = ?", arguments: [name]) {
                tags[row["key"]] = row["value"] as String
            }
            return tags
        }
    }

    public func updateTags(ofFunction name: String, set: [String: String], remove: [String], limit: Int) async throws -> Int {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM functions WHERE name = ?", arguments: [name]) == true else {
                throw StoreError.notFound
            }
            for key in remove {
                try db.execute(sql: "DELETE FROM function_tags WHERE function_name = ? AND key = ?", arguments: [name, key])
            }
            for (key, value) in set {
                try db.execute(
                    sql: "INSERT INTO function_tags (function_name, key, value) VALUES (?, ?, ?) ON CONFLICT(function_name, key) DO UPDATE SET value = excluded.value",
                    arguments: [name, key, value])
            }
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM function_tags WHERE function_name = ?", arguments: [name]) ?? 0
            if count > limit { throw TagLimitExceeded() }
            return count
        }
    }

    public func usage() async throws -> StoreUsage {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(code_size), 0) AS size FROM functions")!
            let versions = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(code_size), 0) FROM function_versions") ?? 0
            let layers = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(code_size), 0) FROM layer_versions") ?? 0
            return StoreUsage(functionCount: row["n"], totalCodeSize: row["size"] + versions + layers)
        }
    }

    public func referencedBlobDigests() async throws -> Set<String> {
        try await pool.read { db in
            var digests = Set(try String.fetchAll(db, sql: """
                SELECT code_digest FROM functions UNION SELECT code_digest FROM function_versions
                UNION SELECT code_digest FROM layer_versions
                """))
            // A deleted layer version keeps working for the functions that use it.
            let definitions = try Data.fetchAll(db, sql: "SELECT definition FROM functions UNION ALL SELECT definition FROM function_versions")
            for data in definitions {
                for layer in try Self.decode(data).layers { digests.insert(layer.digest.hex) }
            }
            return digests
        }
    }
}
