import Foundation
import Logging
import ServiceLifecycle

/// Enforces retention: every `interval` (and soon after a retention change or a deletion) deletes events older than
/// their group's retention and the events of deleted groups and streams, in batches so writers are never held long.
public final class LogJanitor: Service, Sendable {
    let store: any LogStore
    let interval: Duration
    let batch: Int
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// Whether it is this node's turn to sweep (in a cluster, one node at a time).
    let turn: @Sendable () async -> Bool
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(store: any LogStore, interval: Duration = .seconds(60), batch: Int = 5_000, logger: Logger,
                clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) },
                turn: @escaping @Sendable () async -> Bool = { true }) {
        self.store = store
        self.turn = turn
        self.interval = interval
        self.batch = batch
        self.logger = logger
        self.clock = clock
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a sweep now (a retention policy changed, a group or stream was deleted).
    public func nudge() {
        wake.yield()
    }

    /// Deletes everything due now; returns how many events went.
    @discardableResult
    public func sweep() async throws -> Int {
        var total = 0
        while true {
            let expired = try await store.deleteExpiredLogEvents(now: clock(), limit: batch)
            let purged = try await store.purgeDeletedLogs(limit: batch)
            total += expired + purged
            if expired < batch && purged < batch { break }
            await Task.yield()
        }
        return total
    }

    public func run() async throws {
        let wake = self.wake
        let interval = self.interval
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    wake.yield()
                }
            }
            group.addTask { [self] in
                await cancelWhenGracefulShutdown {
                    for await _ in self.wakeups {
                        guard await self.turn() else { continue }
                        do {
                            let removed = try await self.sweep()
                            if removed > 0 { self.logger.debug("expired log events deleted", metadata: ["events": "\(removed)"]) }
                        } catch {
                            self.logger.error("deleting expired log events failed", metadata: ["error": "\(error)"])
                        }
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
        wake.finish()
    }
}
