/// Wires the Topics service (filled in by its module's work).
enum TopicsWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        WiredService()
    }
}
