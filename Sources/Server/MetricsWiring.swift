/// Wires the Metrics service (filled in by its module's work).
enum MetricsWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        WiredService()
    }
}
