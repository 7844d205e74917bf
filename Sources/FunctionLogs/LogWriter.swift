import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Collects log events from every environment and writes them to the store in batches, off the
/// invocation path. Runs as a service: stops after a final flush on graceful shutdown.
public final class LogWriter: Service, Sendable {
    let store: any LogEventStore
    let interval: Duration
    let logger: Logger
    private let pending = Mutex<[LogEvent]>([])

    public init(store: any LogEventStore, interval: Duration = .milliseconds(100), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    /// Queues events for the next batch.
    public func append(_ events: [LogEvent]) {
        guard !events.isEmpty else { return }
        pending.withLock { $0.append(contentsOf: events) }
    }

    public func append(_ event: LogEvent) {
        pending.withLock { $0.append(event) }
    }

    /// Writes everything queued so far.
    public func flush() async {
        let batch = pending.withLock { queued -> [LogEvent] in
            let all = queued
            queued.removeAll(keepingCapacity: true)
            return all
        }
        guard !batch.isEmpty else { return }
        do {
            try await store.appendLogEvents(batch)
        } catch {
            logger.error("writing function logs failed", metadata: ["events": "\(batch.count)", "error": "\(error)"])
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: interval)
                await flush()
            }
        } onGracefulShutdown: {}
        await flush()
    }
}
