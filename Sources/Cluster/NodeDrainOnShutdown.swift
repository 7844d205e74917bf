import Logging
import ServiceLifecycle

/// Marks the node draining in the registry as soon as the service group starts shutting down gracefully, so the
/// cluster sees it leaving while it finishes its work (`NodeRegistry`, placed near the store, marks it stopped at the
/// end). Placed last in the group's services: graceful shutdown reaches it first.
public struct NodeDrainOnShutdown: Service {
    let registry: NodeRegistry
    let logger: Logger

    public init(registry: NodeRegistry, logger: Logger) {
        self.registry = registry
        self.logger = logger
    }

    public func run() async throws {
        // Throws when cancelled rather than shut down gracefully: nothing to mark then.
        guard (try? await gracefulShutdown()) != nil, registry.state == .serving else { return }
        do {
            try await registry.drain()
            logger.info("node marked draining for shutdown", metadata: ["node": "\(registry.nodeId)"])
        } catch {
            logger.warning("marking the node draining failed", metadata: ["node": "\(registry.nodeId)", "error": "\(error)"])
        }
    }
}
