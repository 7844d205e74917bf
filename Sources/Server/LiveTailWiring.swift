import CloudWatchLogs
import Foundation

/// Live Tail: function logs reach open sessions from the log writer's batches (PutLogEvents publishes from its
/// request); the fan-out runs as a service so that shutting down closes every open session.
enum LiveTailWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        let liveTail = context.logsDirectory.liveTail
        context.logWriter.observeBatches { events in
            guard !liveTail.isEmpty else { return }
            let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            for (key, grouped) in Dictionary(grouping: events, by: { [$0.group, $0.stream] }) {
                liveTail.publish(group: key[0], stream: key[1], events: grouped.map { ($0.message, $0.timestamp) }, ingestionTime: now)
            }
        }
        return WiredService(services: [liveTail])
    }
}
