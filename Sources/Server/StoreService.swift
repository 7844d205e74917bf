import ServiceLifecycle

/// Keeps the store open while the server runs and closes it cleanly after the listener has drained.
struct StoreService: Service {
    let opened: OpenedStore

    func run() async throws {
        try? await gracefulShutdown()
        await opened.close()
    }
}
