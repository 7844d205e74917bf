import Cluster
import Delivery
import EventSourceMappings
import Foundation
import Invoker
import Logging
import PostgresStore
import ServiceLifecycle

/// What a node of a cluster adds to the server (nothing on the embedded store): its registration, the leases of
/// concurrency, the change feed and its follower, the reaper of gone nodes' leases, and the write fence.
enum ClusterNode {
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
                                         warm: WarmRouting.warmth(of: invoker))
                     },
                     onStateChange: { state in
                         guard state == .draining else { return }
                         logger.notice("draining: shutting down gracefully", metadata: ["node": "\(nodeId)"])
                         kill(getpid(), SIGTERM)
                     },
                     logger: logger)
    }

    struct Services {
        var services: [any Service]
        /// Awaited before answering a configuration write: the change is then known to every serving node.
        var writeFence: @Sendable () async -> Void
    }

    static func services(store: PostgresStore, nodeId: String, invoker: Invoker, deliveries: DeliveryService,
                         mappings: MappingManager, changes: ChangeHandlers, logger: Logger) -> Services {
        // Each event source mapping is polled by one node at a time, the mappings split evenly between the nodes.
        mappings.placeAcrossNodes(store: store, node: nodeId)
        // Concurrency slots leased from the database: reserved and account limits hold across the nodes.
        let leases = invoker.shareConcurrency(store: store, node: nodeId)
        // What another node changes, this one drops from its caches (LISTEN/NOTIFY); the follower comes first so that
        // the feed, after it in the group, shuts down before it.
        let feed = store.changeFeed()
        let follower = ChangeFeedFollower(feed: feed, handlers: changes)
        let reaper = GoneNodeReaper(store: store, deliveries: deliveries, interval: .seconds(5), logger: logger)
        return Services(services: [leases, follower, feed, reaper], writeFence: { _ = await feed.fence() })
    }
}
