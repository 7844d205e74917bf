import Delivery
import Foundation
import Logging
import PostgresStore
import ServiceLifecycle

/// Takes over the work of nodes that are gone: every few seconds, the leases of a node that stopped or stopped
/// heartbeating are released (`PostgresStore.releaseLeasesOfGoneNodes`) and this node's claimers woken, so a killed
/// node's async events and deliveries run elsewhere within seconds of its death being noticed.
struct GoneNodeReaper: Service {
    let store: PostgresStore
    let deliveries: DeliveryService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let released = try await store.releaseLeasesOfGoneNodes(at: Date())
                if released > 0 {
                    logger.notice("took over the leases of nodes that are gone", metadata: ["leases": "\(released)"])
                    deliveries.wake()
                }
            } catch {
                logger.warning("releasing the leases of gone nodes failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
