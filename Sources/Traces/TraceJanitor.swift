import Foundation
import Logging
import ServiceLifecycle

/// Deletes traces not written to for longer than the retention (X-Ray keeps 30 days), at start and every ten minutes.
public final class TraceJanitor: Service, Sendable {
    public static let defaultRetentionSeconds: Int64 = 30 * 24 * 3600
    let store: any TraceStore
    let retentionSeconds: Int64
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// Whether it is this node's turn to sweep (in a cluster, one node at a time).
    let turn: @Sendable () async -> Bool
    /// How often it sweeps.
    public static let interval: Duration = .seconds(600)

    public init(store: any TraceStore, retentionSeconds: Int64 = defaultRetentionSeconds, logger: Logger,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                turn: @escaping @Sendable () async -> Bool = { true }) {
        self.store = store
        self.turn = turn
        self.retentionSeconds = retentionSeconds
        self.logger = logger
        self.clock = clock
    }

    /// One pass; returns how many traces were deleted.
    @discardableResult
    public func sweep() async throws -> Int {
        try await store.deleteTraces(receivedBefore: clock() - retentionSeconds)
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                if await turn() {
                    do { try await sweep() } catch { logger.error("expiring traces failed", metadata: ["error": "\(error)"]) }
                }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
            }
        } onGracefulShutdown: {}
    }
}
