import Logging
import SQLiteStore
import ServiceLifecycle

/// Keeps the store open while the server runs and closes it cleanly after the listener has drained.
struct StoreService: Service {
    let store: SQLiteStore
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try store.close()
            logger.info("store closed", metadata: ["path": "\(store.path)"])
        } catch {
            logger.error("closing the store failed", metadata: ["error": "\(error)"])
        }
    }
}
