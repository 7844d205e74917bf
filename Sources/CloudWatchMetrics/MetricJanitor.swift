import Foundation
import Logging
import ServiceLifecycle

/// Deletes points past their resolution's retention (`RetentionSchedule`), at start and every ten minutes.
public final class MetricJanitor: Service, Sendable {
    let store: any MetricStore
    let logger: Logger
    let clock: @Sendable () -> Int64

    public init(store: any MetricStore, logger: Logger, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.store = store
        self.logger = logger
        self.clock = clock
    }

    /// One pass; returns how many points were deleted.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = clock()
        var deleted = 0
        for (resolution, retention) in RetentionSchedule.resolutions {
            deleted += try await store.deleteMetricPoints(resolution: resolution, before: now - retention)
        }
        return deleted
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do { try await sweep() } catch { logger.error("expiring metric points failed", metadata: ["error": "\(error)"]) }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(600)) }
            }
        } onGracefulShutdown: {}
    }
}
