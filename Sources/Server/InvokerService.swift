import Invoker
import Logging
import Sandbox
import ServiceLifecycle

/// Keeps execution environments for the server's lifetime; on graceful shutdown (after the listener
/// has stopped taking requests) kills them all and removes Swiftlet's cgroups.
struct InvokerService: Service {
    let invoker: Invoker
    let cgroups: CgroupHierarchy?
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        await invoker.shutdown()
        cgroups?.removeAll()
        logger.info("execution environments stopped")
    }
}
