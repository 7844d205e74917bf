import Logging
import ServiceLifecycle
import Synchronization

/// Knows which of the server's services are still running, so that a shutdown that takes too long can say what it is
/// waiting for (the watchdog's message names them), and logs a service that took more than a second to stop.
final class ShutdownTracker: Sendable {
    private let running = Mutex<[String: Int]>([:])
    private let shutdownStarted = Mutex<ContinuousClock.Instant?>(nil)
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// `service`, reporting to this tracker while it runs.
    func track(_ service: any Service) -> any Service {
        Tracked(service: service, name: String(describing: type(of: service)), tracker: self)
    }

    func track(_ services: [any Service]) -> [any Service] {
        services.map(track)
    }

    /// The services still running, by name (a name repeated when several of a type run), in name order.
    var stillRunning: [String] {
        running.withLock { counts in
            counts.sorted { $0.key < $1.key }.flatMap { Array(repeating: $0.key, count: $0.value) }
        }
    }

    fileprivate func started(_ name: String) {
        running.withLock { $0[name, default: 0] += 1 }
    }

    fileprivate func noteShutdownStarted() {
        shutdownStarted.withLock { $0 = $0 ?? .now }
    }

    fileprivate func stopped(_ name: String) {
        running.withLock { counts in
            counts[name, default: 1] -= 1
            if counts[name] == 0 { counts[name] = nil }
        }
        guard let since = shutdownStarted.withLock({ $0 }) else { return }
        let took = ContinuousClock.now - since
        if took > .seconds(1) {
            logger.info("service stopped late in the shutdown", metadata: ["service": "\(name)", "after": "\(took)"])
        }
    }

    private struct Tracked: Service, CustomStringConvertible {
        let service: any Service
        let name: String
        let tracker: ShutdownTracker

        var description: String { name }

        func run() async throws {
            tracker.started(name)
            defer { tracker.stopped(name) }
            try await withGracefulShutdownHandler {
                try await service.run()
            } onGracefulShutdown: {
                tracker.noteShutdownStarted()
            }
        }
    }
}
