import AWSProtocol
import Crypto
import Foundation
import IAMAPI
import Identity
import SQLiteStore

/// An IAM directory over a real SQLite file in a fresh temporary directory, reopenable to check persistence.
struct IAMFixture {
    static let account = "123456789012"
    static func policy(_ statements: String) -> String { #"{"Version":"2012-10-17","Statement":[\#(statements)]}"# }
    static let allowAll = policy(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)
    static let lambdaTrust = policy(#"{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}"#)

    let dataDir: String
    let dbPath: String
    let sealer: SecretSealer
    let store: SQLiteStore
    let state: IdentityState
    let directory: IAMDirectory

    init(dataDir: String? = nil, clock: @escaping @Sendable () -> Date = Date.init, usageWriteInterval: Duration = .seconds(60)) async throws {
        let dir = dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("iam-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        self.dataDir = dir
        self.dbPath = dir + "/swiftlet.sqlite"
        self.sealer = try SecretSealer.loadOrCreate(dataDir: dir)
        self.store = try SQLiteStore(path: dbPath)
        self.state = IdentityState()
        self.directory = IAMDirectory(store: store, sealer: sealer, state: state, accountId: Self.account, clock: clock,
                                      usageWriteInterval: usageWriteInterval)
        try await directory.load()
    }

    /// The same data dir opened again, as after a restart.
    func reopened() async throws -> IAMFixture {
        try store.close()
        return try await IAMFixture(dataDir: dataDir)
    }

    var service: IAMService { IAMService(directory: directory) }
}
