import Logging
import Synchronization

/// Keeps the latest reason the pool gave for failing to open a connection. PostgresNIO's pool retries forever and only
/// logs why; `migrate()` puts this reason in its error when no connection came within the timeout.
final class ConnectionErrorRecorder: Sendable {
    private let latest = Mutex<String?>(nil)
    /// Told of every failure to open a connection.
    let health: PoolHealth

    init(health: PoolHealth = PoolHealth()) {
        self.health = health
    }

    var reason: String? { latest.withLock { $0 } }

    /// The latest reason, when the server itself refused the connection (no such database, authentication failed):
    /// waiting longer will not help.
    var refusal: String? {
        latest.withLock { $0 }.flatMap { $0.contains("code: server") ? $0 : nil }
    }

    /// `logger`, its records still going to its handler at its level, and connection failures (logged at `info`)
    /// also noted here whatever that level.
    func recording(_ logger: Logger) -> Logger {
        let forwardLevel = logger.logLevel
        var recording = Logger(label: logger.label) { _ in Handler(wrapped: logger.handler, recorder: self, forwardLevel: forwardLevel) }
        recording.logLevel = min(forwardLevel, .info)
        return recording
    }

    private struct Handler: LogHandler {
        var wrapped: any LogHandler
        let recorder: ConnectionErrorRecorder
        let forwardLevel: Logger.Level
        var logLevel: Logger.Level = .info

        var metadata: Logger.Metadata {
            get { wrapped.metadata }
            set { wrapped.metadata = newValue }
        }

        var metadataProvider: Logger.MetadataProvider? {
            get { wrapped.metadataProvider }
            set { wrapped.metadataProvider = newValue }
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { wrapped[metadataKey: key] }
            set { wrapped[metadataKey: key] = newValue }
        }

        func log(event: LogEvent) {
            if let error = event.metadata?["psql_error"] {
                recorder.latest.withLock { $0 = "\(error)" }
                recorder.health.noteConnectionFailure()
            }
            if event.level >= forwardLevel { wrapped.log(event: event) }
        }
    }
}
