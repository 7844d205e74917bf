import BlobStore
@testable import Catalog
import Foundation
import Logging
import PostgresStore
import Queues
import SQLiteStore
import Testing

/// The stores the contract suite runs against: every contract test is parameterised over these, so the two
/// implementations cannot drift apart unnoticed.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, empty store of this kind (a temp SQLite file, or a new database on the throwaway
    /// server) and disposes of it afterwards, also when `body` throws.
    func withStore(_ body: (any Store & QueueStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-contract-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
            do {
                try await body(store)
            } catch {
                try? store.close()
                throw error
            }
            try store.close()
        case .postgres:
            let url = try await ThrowawayPostgres.shared.makeDatabase()
            try await Self.withPostgresStore(url: url) { store in try await body(store) }
        }
    }

    /// A `PostgresStore` on `url`, its pool running and its schema migrated, for the duration of `body`.
    static func withPostgresStore(url: String, nodeId: String = "local",
                                  _ body: (PostgresStore) async throws -> Void) async throws {
        let store = try PostgresStore(url: url, nodeId: nodeId, logger: Logger(label: "contract"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            try await store.migrate()
            try await body(store)
            group.cancelAll()
        }
    }
}

/// Values the contract tests build.
enum Fixtures {
    static func digest(_ seed: String) -> BlobDigest { BlobDigest(of: Data(seed.utf8)) }

    static func function(_ name: String, revision: String = "r1", code: String = "code", size: Int = 100,
                         layers: [FunctionLayer] = []) -> FunctionDefinition {
        FunctionDefinition(
            name: name, runtime: "python3.12", role: "arn:aws:iam::000000000000:role/r", handler: "app.handler", description: "",
            timeout: 3, memorySize: 128, ephemeralStorageSize: 512, environment: ["A": "1"], tracingMode: "PassThrough",
            architectures: ["x86_64"], layers: layers, packageType: "Zip", logFormat: "Text", logGroup: nil, deadLetterTargetArn: nil,
            kmsKeyArn: nil, code: .init(digest: digest(code), size: size, unzippedSize: size * 2),
            lastModified: Date(timeIntervalSince1970: 1_700_000_000), revisionId: revision)
    }

    static func alias(_ name: String, of function: String, version: String, weights: [String: Double] = [:],
                      revision: String = "a1") -> AliasDefinition {
        AliasDefinition(functionName: function, name: name, functionVersion: version, description: "", additionalVersionWeights: weights,
                        revisionId: revision)
    }

    static func layer(_ name: String, _ number: Int, code: String = "layer") -> LayerVersionDefinition {
        LayerVersionDefinition(layerName: name, version: number, description: "", compatibleRuntimes: ["python3.12"],
                               compatibleArchitectures: nil, licenseInfo: nil,
                               content: .init(digest: digest("\(code)\(number)"), size: 10, unzippedSize: 20),
                               createdDate: Date(timeIntervalSince1970: 1_700_000_000))
    }

    static func event(_ id: String, function: String = "f", due: Int64, payload: String = "{}") -> AsyncEvent {
        AsyncEvent(id: id, functionName: function, qualifier: nil, payload: Array(payload.utf8), enqueuedAt: due, dueAt: due)
    }

    static func statement(_ sid: String, resource: String = "arn:aws:lambda:us-east-1:000000000000:function:f") -> PolicyStatement {
        PolicyStatement(Sid: sid, Principal: .service("s3.amazonaws.com"), Action: "lambda:InvokeFunction", Resource: resource)
    }

    static func url(_ function: String, qualifier: String?, id: String) -> FunctionURLConfig {
        FunctionURLConfig(functionName: function, qualifier: qualifier, urlId: id, authType: "NONE", cors: nil, invokeMode: "BUFFERED",
                          creationTime: "2026-01-01T00:00:00.000+0000", lastModifiedTime: "2026-01-01T00:00:00.000+0000")
    }

    static func mapping(_ uuid: String, function: String = "f") -> EventSourceMapping {
        EventSourceMapping(uuid: uuid, functionName: function, qualifier: nil, eventSourceArn: "arn:aws:sqs:us-east-1:000000000000:q",
                           batchSize: 10, maximumBatchingWindowInSeconds: 0, enabled: true, functionResponseTypes: [],
                           maximumConcurrency: nil, lastModified: Date(timeIntervalSince1970: 1_700_000_000))
    }
}
