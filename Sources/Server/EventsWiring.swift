/// Wires the Events service (filled in by its module's work).
enum EventsWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        WiredService()
    }
}
