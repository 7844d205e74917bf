import FunctionNetwork
import ServiceLifecycle

/// Removes functions' network (prepared namespaces, the firewall table, the bridge) once the environments are stopped.
struct NetworkService: Service {
    let pool: NetworkPool?

    func run() async throws {
        try? await gracefulShutdown()
        guard let pool else { return }
        pool.drain()
        pool.host.tearDown()
    }
}
