/// Wires the Scheduler service (filled in by its module's work).
enum SchedulerWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        WiredService()
    }
}
