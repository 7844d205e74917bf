import Foundation
import Logging
import ServiceLifecycle

/// Deletes points past their resolution's retention (`RetentionSchedule`), at start and every ten minutes.
public final class MetricJanitor: Service, Sendable {
    let store: any MetricStore
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// Whether it is this node's turn to sweep (in a cluster, one node at a time).
    let turn: @Sendable () async -> Bool
    /// How often it sweeps.
    public static let interval: Duration = .seconds(600)

    public init(store: any MetricStore, logger: Logger, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                turn: @escaping @Sendable () async -> Bool = { true }) {
        self.store = store
        self.turn = turn
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
                if await turn() {
                    do { try await sweep() } catch { logger.error("expiring metric points failed", metadata: ["error": "\(error)"]) }
                }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
            }
        } onGracefulShutdown: {}
    }
}
