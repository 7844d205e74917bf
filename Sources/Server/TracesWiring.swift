/// Wires the Traces service (filled in by its module's work).
enum TracesWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        WiredService()
    }
}
