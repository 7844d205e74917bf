import APIGatewayAPI
import AWSProtocol
import AsyncInvocation
import EventSourceMappings
import Auth
import BlobStore
import Catalog
import Delivery
import Edge
import Foundation
import FunctionLogs
import FunctionNetwork
import HTTPAPIs
import Hummingbird
import HTTPIngress
import IAMAPI
import Identity
import Invoker
import LambdaAPI
import Logging
import PlatformMetrics
import SQLiteStore
import Schedules
import CloudWatchLogs
import Cluster
import LogsAPI
import PostgresStore
import Queues
import SQSAPI
import STSAPI
import Sandbox
import ServiceLifecycle

/// The composition root: opens the data dir, wires the parts together and runs them until SIGINT/SIGTERM.
public struct SwiftletServer {
    public static let version = "0.1.0"

    public let configuration: ServerConfiguration
    let logger: Logger
    /// What `/metrics` serves; the invoker, the edge and the ingress record into it.
    let metrics: PlatformMetrics

    public init(configuration: ServerConfiguration, logger: Logger, metrics: PlatformMetrics = PlatformMetrics()) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
    }

    /// The boto3 that `scripts/install-python-sdk` installed in `directory`, read from its `__init__.py`.
    static func pythonSDK(in directory: String) -> (directory: String?, description: String) {
        guard let text = try? String(contentsOfFile: directory + "/boto3/__init__.py", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("__version__") }) else {
            return (nil, "none (run scripts/install-python-sdk to offer boto3 to Python functions)")
        }
        let version = line.split(separator: "'").dropFirst().first.map(String.init) ?? "?"
        return (directory, "boto3 \(version)")
    }

    /// The address on this host where the listener is reached for `--host` (a wildcard or a name: loopback).
    static func connectHost(_ host: String) -> String {
        switch host {
        case "0.0.0.0", "localhost": "127.0.0.1"
        case "::": "::1"
        default: host
        }
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

        let opened = try await StoreOpening.open(config, metrics: metrics, logger: logger)
        let store = opened.store
        // A cluster's nodes share their secrets through the database: root credentials, the sealing key, SNS's signer.
        var root = credentials.credentials
        let sealer: SecretSealer
        if let shared = opened.shared {
            root = try await ClusterSecrets.rootCredentials(credentials, store: shared, logger: logger)
            sealer = try await ClusterSecrets.sealer(store: shared, dataDir: config.dataDir)
            try await ClusterSecrets.snsSigning(store: shared, dataDir: config.dataDir)
        } else {
            sealer = try SecretSealer.loadOrCreate(dataDir: config.dataDir)
        }
        // Code and layer zips: in the data dir, and in a cluster also in the shared database (fetched once per node).
        let blobs = try BlobStore(root: config.dataDir + "/blobs", shared: opened.shared)
        let referenced = try await store.referencedBlobDigests()
        let removed = blobs.collectGarbage(keeping: referenced)
        if removed > 0 { logger.info("removed unreferenced blobs", metadata: ["count": "\(removed)"]) }
        do {
            let removedShared = try await blobs.collectSharedGarbage(keeping: referenced)
            if removedShared > 0 { logger.info("removed unreferenced shared blobs", metadata: ["count": "\(removedShared)"]) }
        } catch {
            logger.warning("collecting shared blobs failed", metadata: ["error": "\(error)"])
        }

        // Identities: IAM's data in memory (replaced on every IAM write), secrets sealed with a key beside the database.
        let identityState = IdentityState()
        let directory = IAMDirectory(store: store, sealer: sealer, state: identityState, accountId: config.accountId,
                                     sharedStore: opened.shared != nil)
        try await directory.load()
        let sessionIssuer = SessionIssuer(sealer: sealer, maxDuration: config.maxSessionSeconds)
        let authorizer = Authorizer(root: root, accountId: config.accountId, state: identityState,
                                    sessions: sessionIssuer, onKeyUse: { id, service, region in
                                        directory.noteAccessKeyUsed(id, service: service, region: region)
                                    })
        let roleSessions = RoleSessions(authorizer: authorizer, sessions: sessionIssuer, state: identityState)
        let platform = PlatformAccessProvider(sessions: roleSessions, logger: logger)

        let runtimes = HostRuntimeDiscovery.discover()
        logger.info("runtimes available", metadata: ["runtimes": "\(runtimes.identifiers.joined(separator: ", "))"])
        let setup = try IsolationSetup.prepare(request: config.isolation, dataDir: config.dataDir, logger: logger)
        let isolation = setup.description
        if case .sandbox = setup.launcher.mode {
            logger.info("execution environments are sandboxed", metadata: ["isolation": "\(isolation)"])
        } else {
            logger.warning("execution environments are NOT sandboxed", metadata: ["isolation": "\(isolation)"])
        }
        // Sandboxed functions reach other networks through Swiftlet's bridge; plain processes share the host's.
        var networkPool: NetworkPool?
        let networkDescription: String
        if case .sandbox = setup.launcher.mode {
            var (hostNetwork, description) = HostNetwork.prepare(config.functionNetwork, logger: logger)
            if let host = hostNetwork {
                // One namespace prepared now proves the host can before any function depends on it.
                let pool = NetworkPool(host: host, logger: self.logger)
                if let reason = pool.probe() {
                    host.tearDown()
                    hostNetwork = nil
                    description = "none (preparing a namespace failed: \(reason))"
                } else {
                    pool.start()
                    networkPool = pool
                }
            }
            networkDescription = description
            if networkPool != nil {
                logger.info("functions reach other networks", metadata: ["network": "\(description)"])
            } else {
                logger.warning("functions have no network beyond their loopback", metadata: ["network": "\(description)"])
            }
        } else {
            networkDescription = "host (plain processes share the host's network)"
        }
        let pythonSDK = Self.pythonSDK(in: config.pythonSDKDirectory)
        if pythonSDK.directory == nil {
            logger.warning("Python functions get no AWS SDK from the platform", metadata: ["sdk": "\(pythonSDK.description)"])
        }
        let code = try CodeCache(root: config.dataDir + "/code", blobs: blobs)
        code.collectGarbage(keeping: referenced)
        let empty = config.dataDir + "/sandbox/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let logWriter = LogWriter(store: store, newGroupRetentionDays: config.logRetentionDays, logger: logger)
        let layers = try LayerCache(root: config.dataDir + "/layersets", code: code)
        // Merged layer trees are hard links, rebuilt on first use: none is kept across a restart.
        layers.collectGarbage(keeping: [])
        let invoker = Invoker(
            host: EnvironmentHost(launcher: setup.launcher, cgroups: setup.cgroups, code: code, layers: layers, runtimes: runtimes,
                                  region: config.region, emptyDirectory: empty, platform: platform, network: networkPool,
                                  pythonSDK: pythonSDK.directory),
            settings: .init(maxConcurrency: config.maxConcurrency, idleTimeout: config.idleTimeout, freezeAfter: config.freezeAfter,
                            stemCells: config.stemCells, initTimeout: config.initTimeout),
            logs: logWriter, logger: logger, metrics: metrics)

        // Sends through other nodes do not wake this one's long polls: in a cluster they look again every 200 ms.
        let queues = QueueBroker(store: store, addressing: QueueAddressing(region: config.region, accountId: config.accountId), logger: logger,
                                 sharedStoreRecheck: opened.shared == nil ? nil : .milliseconds(200))
        let arns = ARNBuilder(region: config.region, accountId: config.accountId)
        let cache = CachingStore(store)
        let catalog = FunctionCatalog(
            store: cache, blobs: blobs, runtimes: runtimes, arns: arns,
            limits: AccountLimits(concurrentExecutions: config.maxConcurrency),
            executionRoles: ExecutionRoleChecks(sessions: roleSessions, authorizer: authorizer, queues: queues),
            logger: logger)
        // Provisioned environments restored now need the endpoint before the listener reports its port: known when fixed.
        if config.port != 0 { platform.setEndpoint(PlatformEndpoint(host: Self.connectHost(config.host), port: config.port)) }
        try await ConcurrencyRestore.run(catalog: catalog, invoker: invoker, provisioned: opened.shared == nil, logger: logger)
        let dispatcher = AsyncDispatcher(catalog: catalog, invoker: invoker, queues: queues, timing: AsyncTiming(speedup: config.asyncSpeedup),
                                         parallelism: config.maxConcurrency, logger: logger)
        let mappings = MappingManager(catalog: catalog, invoker: invoker, queues: queues, logger: logger)
        // Function URLs and HTTP APIs: their own listener, bound now so the URLs the APIs hand out name its port.
        let ingress = HTTPIngress(settings: .init(host: config.host, port: config.http.port, domain: config.http.domain,
                                                  region: config.region, accessLog: config.http.accessLog),
                                  logger: logger)
        do {
            try await ingress.bind()
        } catch {
            throw ServerStartError.httpListener(host: config.host, port: config.http.port, reason: "\(error)")
        }
        ingress.router.recordRequests(into: metrics)
        MetricsCollectors.register(on: metrics, invoker: invoker, store: store, queues: queues, logger: logger)
        // In a cluster, a sync invoke that would cold-start here goes to a node with the revision warm (one hop).
        let warmRouting = opened.shared.map {
            WarmRouting(store: $0, nodeId: opened.nodeId, root: root, region: config.region, metrics: metrics, logger: self.logger)
        }
        let lambda = LambdaService(
            catalog: catalog,
            codeSigner: SigV4Signer(credentials: root, region: config.region, service: LambdaService.lambdaSigningName),
            invoker: invoker, dispatcher: dispatcher, mappings: mappings,
            endpoints: ingress, forwarder: warmRouting?.forwarder)
        let verifier = SigV4Verifier(credentials: authorizer, region: config.region)
        ingress.serveFunctionURLs(catalog: catalog, invoker: invoker, authorizer: authorizer, verifier: verifier,
                                  accountId: config.accountId)
        for url in try await catalog.allFunctionURLs() {
            try await ingress.register(kind: .functionURL, id: url.urlId)
        }
        let leaving = ClusterNode.Leaving()
        let registry = opened.shared.map { [logger = self.logger] in
            ClusterNode.registry(store: $0, nodeId: opened.nodeId, configuration: config, invoker: invoker, platform: platform, logger: logger)
        }
        var health = HealthReport(
            version: Self.version, region: config.region, accountId: config.accountId, store: store.kind,
            isolation: isolation, network: networkDescription, pythonSDK: pythonSDK.description, runtimes: runtimes.identifiers,
            gauges: .init(storeBytes: { store.localBytes() }, logEventsDropped: { logWriter.droppedEvents },
                          draining: { leaving.isSet || registry.map { $0.state != .serving } ?? false }))
        health.node = opened.shared == nil ? nil : opened.nodeId
        // CloudWatch Logs over the same store; the janitor enforces retention and purges deleted groups' events.
        let janitorTurns = opened.shared.map { JanitorTurns(leases: $0, node: opened.nodeId) } ?? .alone
        let logJanitor = LogJanitor(store: store, logger: logger, turn: janitorTurns.turn(of: "log-retention", lease: 180))
        let logsDirectory = LogsDirectory(store: store, arns: LogARNs(region: config.region, accountId: config.accountId),
                                          janitor: logJanitor, metricFilterStore: store, subscriptionFilterStore: store)
        try await logsDirectory.loadMetricFilters()
        try await logsDirectory.loadSubscriptionFilters()
        let logs = LogsService(directory: logsDirectory)
        let sqs = SQSService(broker: queues)
        let iam = IAMService(directory: directory)
        let sts = STSService(sessions: roleSessions, authorizer: authorizer)
        // API Gateway HTTP APIs: the control plane (the data plane serves them through the ingress).
        let httpAPIs = HTTPAPIDirectory(store: store, endpoints: ingress,
                                        region: config.region, accountId: config.accountId, logger: logger)
        let apiGateway = APIGatewayService(directory: httpAPIs)
        ingress.serveHTTPAPIs(directory: httpAPIs, catalog: catalog, invoker: invoker, authorizer: authorizer, verifier: verifier,
                              accountId: config.accountId)
        for apiId in try await httpAPIs.allAPIIds() {
            try await ingress.register(kind: .httpAPI, id: apiId)
        }
        // The one delivery path (rule targets, subscriptions, schedules, destinations) and the second-stage services.
        let router = DeliveryRouter()
        let deliveries = DeliveryService(store: store, router: router, parallelism: 32, speedup: config.asyncSpeedup, logger: logger)
        let deliveryAuthorization = DeliveryAuthorization(authorizer: authorizer, accountId: config.accountId)
        router.register("lambda", LambdaDeliverySink(catalog: catalog, dispatcher: dispatcher, authorization: deliveryAuthorization))
        router.register("sqs", QueueDeliverySink(queues: queues, authorization: deliveryAuthorization))
        dispatcher.deliveries = deliveries
        // The one timer engine (schedule rules, Scheduler's schedules): firings commit deliveries, then wake the path.
        let timers = TimerEngine(store: store, wake: { deliveries.wake() }, logger: logger)
        let changes = ChangeHandlers(logger: logger)
        ChangeReloads.register(on: changes, .init(cache: cache, catalog: catalog, invoker: invoker, identity: directory, logs: logsDirectory,
                                                  ingress: ingress, httpAPIs: httpAPIs, mappings: mappings))
        let context = WiringContext(
            configuration: config, store: store, deliveries: deliveries, router: router, timers: timers, catalog: catalog, queues: queues,
            dispatcher: dispatcher, invoker: invoker, authorizer: authorizer, metrics: metrics, logWriter: logWriter, logsDirectory: logsDirectory, logger: logger,
            changes: changes, janitorTurns: janitorTurns, endpointURL: { platform.endpoint.map { "http://\($0.host):\($0.port)" } })
        var hosted: [any HostedService] = [lambda, sqs, iam, sts, apiGateway, logs]
        var background: [any Service] = [deliveries, timers, changes]
        let cluster = opened.shared.map { [logger = self.logger] in
            ClusterNode.services(store: $0, nodeId: opened.nodeId, invoker: invoker, catalog: catalog, deliveries: deliveries, mappings: mappings,
                                 changes: changes, logger: logger)
        }
        background += cluster?.services ?? []
        background += warmRouting.map { [$0.router] } ?? []
        for wiring in Wirings.all {
            let wired = try await wiring.wire(context)
            hosted += wired.hosted
            background += wired.services
        }
        let responder = EdgeResponder(services: hosted, verifier: verifier, authorizer: authorizer,
                                      health: health, metrics: metrics, metricsToken: config.metricsToken,
                                      writeFence: cluster?.writeFence, logger: logger)

        let endpointFile = config.dataDir + "/endpoint"
        let logger = self.logger
        let shutdownTracker = ShutdownTracker(logger: logger)
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Swiftlet"),
            // Shut down in reverse order: environments first, then the log flush, then the store.
            services: shutdownTracker.track([
                StoreService(opened: opened),
            ] + (registry.map { [$0] } ?? []) + (cluster.map { [$0.leases] } ?? []) + [
                IdentityService(directory: directory),
                logWriter,
                logJanitor,
                NetworkService(pool: networkPool),
                InvokerService(invoker: invoker, cgroups: setup.cgroups, logger: logger),
                dispatcher,
                mappings,
                ingress,
            ] + background + (registry.map { [NodeDrainOnShutdown(registry: $0, logger: logger)] } ?? [])),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                let url = "http://\(config.host):\(port)"
                // Functions reach the listener here (a wildcard address is reached on loopback); sandboxed ones
                // through a relay from their own loopback.
                platform.setEndpoint(PlatformEndpoint(host: Self.connectHost(config.host), port: port))
                invoker.startStemCells()
                try? Data((url + "\n").utf8).write(to: URL(fileURLWithPath: endpointFile))
                logger.notice("Swiftlet listening", metadata: ["endpoint": "\(url)", "dataDir": "\(config.dataDir)"])
                onReady(port)
            },
            logger: logger
        )
        if let registry {
            try await ClusterNode.run(app, registry: registry, leaving: leaving, tracker: shutdownTracker,
                                      shutdownBegins: { opened.shared?.beginClosing() }, logger: logger)
        } else {
            try await app.runService()
        }
    }
}
