import Identity
import ServiceLifecycle

/// Writes the access keys' last uses that are still only in memory when the server stops.
struct IdentityService: Service {
    let directory: IAMDirectory

    func run() async throws {
        try? await gracefulShutdown()
        await directory.writeAccessKeyUsage()
    }
}
