import AWSProtocol
import Auth
import BlobStore
import Catalog
import Edge
import Foundation
import Hummingbird
import LambdaAPI
import Logging
import SQLiteStore
import ServiceLifecycle

/// The composition root: opens the data dir, wires the parts together and runs them until SIGINT/SIGTERM.
public struct SwiftletServer {
    public static let version = "0.1.0"

    public let configuration: ServerConfiguration
    let logger: Logger

    public init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until a shutdown signal; `onReady` receives the bound port.
    public func run(onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let config = configuration
        try FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        let credentials = try CredentialsFile.loadOrCreate(dataDir: config.dataDir, environment: config.environment)
        if credentials.created {
            logger.notice("generated root credentials", metadata: ["file": "\(credentials.path)"])
        } else {
            logger.info("root credentials", metadata: [
                "file": "\(credentials.path)", "source": "\(credentials.fromEnvironment ? "environment" : "file")"])
        }

        let store = try SQLiteStore(path: config.dataDir + "/swiftlet.sqlite")
        let blobs = try BlobStore(root: config.dataDir + "/blobs")
        let removed = blobs.collectGarbage(keeping: try await store.referencedBlobDigests())
        if removed > 0 { logger.info("removed unreferenced blobs", metadata: ["count": "\(removed)"]) }

        let runtimes = HostRuntimeDiscovery.discover()
        logger.info("runtimes available", metadata: ["runtimes": "\(runtimes.identifiers.joined(separator: ", "))"])
        let isolation = "none: execution environments (invoke) are not implemented yet"
        logger.warning("functions cannot be invoked yet", metadata: ["isolation": "\(isolation)"])

        let arns = ARNBuilder(region: config.region, accountId: config.accountId)
        let catalog = FunctionCatalog(
            store: store, blobs: blobs, runtimes: runtimes, arns: arns,
            limits: AccountLimits(concurrentExecutions: config.maxConcurrency),
            logger: logger)
        let lambda = LambdaService(
            catalog: catalog,
            codeSigner: SigV4Signer(credentials: credentials.credentials, region: config.region, service: LambdaService.lambdaSigningName))
        let verifier = SigV4Verifier(credentials: StaticCredentialLookup([credentials.credentials]), region: config.region)
        let health = HealthReport(
            version: Self.version, region: config.region, accountId: config.accountId, store: store.kind,
            isolation: isolation, runtimes: runtimes.identifiers)
        let responder = EdgeResponder(services: [lambda], verifier: verifier, health: health, logger: logger)

        let endpointFile = config.dataDir + "/endpoint"
        let logger = self.logger
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Swiftlet"),
            services: [StoreService(store: store, logger: logger)],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                let url = "http://\(config.host):\(port)"
                try? Data((url + "\n").utf8).write(to: URL(fileURLWithPath: endpointFile))
                logger.notice("Swiftlet listening", metadata: ["endpoint": "\(url)", "dataDir": "\(config.dataDir)"])
                onReady(port)
            },
            logger: logger
        )
        try await app.runService()
    }
}
