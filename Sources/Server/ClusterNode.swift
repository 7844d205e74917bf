import Catalog
import Cluster
import Delivery
import EventSourceMappings
import Foundation
import Invoker
import Logging
import PostgresStore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// What a node of a cluster adds to the server (nothing on the embedded store): its registration, the leases of
/// concurrency, the change feed and its follower, the reaper of gone nodes' leases, and the write fence.
enum ClusterNode {
    /// How long a drained node keeps answering (with `/health` at 503) before it shuts down.
    static let drainGrace: Duration = .seconds(3)
    /// How long a graceful shutdown may take before the process exits anyway (status 1).
    static let shutdownLimit: Duration = .seconds(25)

    /// The node's registration: heartbeats with its load, and a drain (`swiftlet cluster drain`) noticed there becomes a
    /// graceful shutdown — no new work, in-flight work finished, leases handed back.
    static func registry(store: PostgresStore, nodeId: String, configuration config: ServerConfiguration, invoker: Invoker,
                         platform: PlatformAccessProvider, logger: Logger) -> NodeRegistry {
        NodeRegistry(store: store, configuration: .init(nodeId: nodeId, version: SwiftletServer.version),
                     address: { config.advertiseURL ?? platform.endpoint.map { "http://\($0.host):\($0.port)" } ?? "" },
                     load: {
                         let environments = invoker.environmentCounts
                         return NodeLoad(capacity: config.maxConcurrency,
                                         running: invoker.runningInvocations().byFunction.values.reduce(0, +),
                                         environments: environments.total, idleEnvironments: environments.idle,
                                         warm: WarmRouting.warmth(of: invoker),
                                         provisioned: invoker.provisionedHere.map {
                                             NodeProvisioned(function: $0.functionName, qualifier: $0.qualifier, allocated: $0.allocated,
                                                             failure: $0.failure)
                                         })
                     },
                     onStateChange: { state in
                         guard state == .draining else { return }
                         // Leaving as on SIGTERM (`run`): draining for a moment, then a graceful shutdown.
                         logger.notice("drained through the registry", metadata: ["node": "\(nodeId)"])
                         kill(getpid(), SIGTERM)
                     },
                     logger: logger)
    }

    struct Services {
        /// The leases of concurrency slots: placed before the invoker in the service group, so that they are given
        /// back after the last invocation ended.
        var leases: any Service
        var services: [any Service]
        /// Awaited before answering a configuration write: the change is then known to every serving node.
        var writeFence: @Sendable () async -> Void
    }

    static func services(store: PostgresStore, nodeId: String, invoker: Invoker, catalog: FunctionCatalog, deliveries: DeliveryService,
                         mappings: MappingManager, changes: ChangeHandlers, logger: Logger) -> Services {
        // Each event source mapping is polled by one node at a time, the mappings split evenly between the nodes.
        mappings.placeAcrossNodes(store: store, node: nodeId)
        // Provisioned environments split between the nodes; a configuration's status is what the live nodes report.
        let liveness = NodeLiveness()
        let provisioned = invoker.placeProvisionedAcrossNodes(catalog: catalog, leases: store, node: nodeId, reports: {
            let now = Date()
            return try await store.listNodes().filter { [.serving, .draining].contains(liveness.condition(of: $0, now: now)) }
                .flatMap { node in
                    node.load.provisioned.map {
                        ProvisionedShare(functionName: $0.function, qualifier: $0.qualifier, allocated: $0.allocated,
                                         failure: $0.failure)
                    }
                }
        })
        // Concurrency slots leased from the database: reserved and account limits hold across the nodes.
        let leases = invoker.shareConcurrency(store: store, node: nodeId)
        // What another node changes, this one drops from its caches (LISTEN/NOTIFY); the follower comes first so that
        // the feed, after it in the group, shuts down before it.
        let feed = store.changeFeed()
        let follower = ChangeFeedFollower(feed: feed, handlers: changes)
        let reaper = GoneNodeReaper(store: store, deliveries: deliveries, interval: .seconds(5), logger: logger)
        return Services(leases: leases, services: [provisioned, follower, feed, reaper], writeFence: { _ = await feed.fence() })
    }
}

extension ClusterNode {
    /// Set once the node starts leaving: `/health` answers 503 from then on.
    final class Leaving: Sendable {
        private let flag = Mutex(false)
        var isSet: Bool { flag.withLock { $0 } }
        func set() { flag.withLock { $0 = true } }
    }

    /// Runs `app` until SIGTERM or SIGINT, then leaves the cluster gently: the node is marked draining (in the registry,
    /// and `/health` answers 503) and keeps serving for `drainGrace` so load balancers stop sending it requests, then
    /// shuts down gracefully (in-flight work finished, leases handed back, marked stopped).
    static func run(_ app: some Service, registry: NodeRegistry, leaving: Leaving, tracker: ShutdownTracker,
                    shutdownBegins: @escaping @Sendable () -> Void, logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                    guard !leaving.isSet else { continue }
                    leaving.set()
                    logger.notice("leaving the cluster: draining, then shutting down", metadata: [
                        "signal": "\(signal)", "node": "\(registry.nodeId)", "in": "\(drainGrace)"])
                    if registry.state == .serving { try? await registry.drain() }
                    try? await Task.sleep(for: drainGrace)
                    await group.triggerGracefulShutdown()
                    shutdownBegins()
                    // A shutdown must end: a call stuck on a connection the database dropped is not waited for forever.
                    Task.detached {
                        try? await Task.sleep(for: shutdownLimit)
                        logger.error("graceful shutdown did not finish in time; exiting", metadata: [
                            "node": "\(registry.nodeId)", "limit": "\(shutdownLimit)",
                            "stillRunning": "\(tracker.stillRunning.joined(separator: ", "))"])
                        exit(1)
                    }
                }
            }
            // The group ends after the graceful shutdown (or fails); only then is the signal watcher let go (it runs on
            // until cancelled: a second signal is ignored).
            try await tasks.next()
            tasks.cancelAll()
        }
    }
}
