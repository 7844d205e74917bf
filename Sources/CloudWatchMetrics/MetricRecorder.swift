import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Takes metric values from everywhere (Lambda's invocations, PutMetricData, EMF lines), adds them up in memory
/// per metric, unit and period, and merges them into the store about once a second (and before any query, so
/// what was recorded is what a query sees). Recording is a lock and a dictionary update.
public final class MetricRecorder: Service, Sendable {
    struct Key: Hashable {
        var metric: String
        var unit: String
        var resolution: Int
        var start: Int64
    }

    struct Pending {
        var identity: MetricIdentity
        var aggregate: MetricAggregate
    }

    /// One value for `record(_:)`.
    public struct Sample: Sendable {
        public var identity: MetricIdentity
        public var value: Double
        public var count: Double
        public var unit: String

        public init(identity: MetricIdentity, value: Double, count: Double = 1, unit: String) {
            self.identity = identity
            self.value = value
            self.count = count
            self.unit = unit
        }
    }

    let store: any MetricStore
    let interval: Duration
    let logger: Logger
    private let pending = Mutex<[Key: Pending]>([:])
    /// Serializes flushes, so a query's flush waits for one already writing.
    private let flushing = FlushLock()

    public init(store: any MetricStore, interval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    /// Records samples taken at `timestampMs` (ms since 1970), at 1-second resolution when `highResolution`.
    public func record(_ samples: [Sample], timestampMs: Int64, highResolution: Bool = false) {
        let resolution = highResolution ? 1 : 60
        let start = Self.start(of: timestampMs / 1000, resolution: resolution)
        pending.withLock { all in
            for sample in samples {
                let key = Key(metric: sample.identity.key, unit: sample.unit, resolution: resolution, start: start)
                if all[key] == nil { all[key] = Pending(identity: sample.identity, aggregate: MetricAggregate()) }
                all[key]!.aggregate.add(sample.value, count: sample.count)
            }
        }
    }

    /// Records a pre-aggregated statistic set.
    public func record(statisticSet identity: MetricIdentity, sampleCount: Double, sum: Double, minimum: Double, maximum: Double,
                       unit: String, timestampMs: Int64, highResolution: Bool = false) {
        let resolution = highResolution ? 1 : 60
        let key = Key(metric: identity.key, unit: unit, resolution: resolution,
                      start: Self.start(of: timestampMs / 1000, resolution: resolution))
        pending.withLock { all in
            if all[key] == nil { all[key] = Pending(identity: identity, aggregate: MetricAggregate()) }
            all[key]!.aggregate.add(sampleCount: sampleCount, sum: sum, minimum: minimum, maximum: maximum)
        }
    }

    static func start(of seconds: Int64, resolution: Int) -> Int64 {
        let r = Int64(resolution)
        return seconds >= 0 ? seconds / r * r : ((seconds - r + 1) / r) * r
    }

    /// Writes everything recorded so far (with its roll-ups) to the store.
    public func flush() async throws {
        try await flushing.run {
            let taken = self.pending.withLock { all -> [Key: Pending] in
                let taken = all
                all.removeAll(keepingCapacity: true)
                return taken
            }
            guard !taken.isEmpty else { return }
            var points: [Key: MetricPoint] = [:]
            for (key, entry) in taken {
                for resolution in RetentionSchedule.rollups(from: key.resolution) {
                    let start = Self.start(of: key.start, resolution: resolution)
                    let rolled = Key(metric: key.metric, unit: key.unit, resolution: resolution, start: start)
                    if points[rolled] == nil {
                        points[rolled] = MetricPoint(identity: entry.identity, resolution: resolution, start: start, unit: key.unit,
                                                     aggregate: MetricAggregate())
                    }
                    points[rolled]!.aggregate.merge(entry.aggregate)
                }
            }
            do {
                try await self.store.mergeMetricPoints(Array(points.values))
            } catch {
                // Put back what could not be written; the next flush tries again.
                self.pending.withLock { all in
                    for (key, entry) in taken {
                        if all[key] == nil { all[key] = entry } else { all[key]!.aggregate.merge(entry.aggregate) }
                    }
                }
                throw error
            }
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
                do { try await flush() } catch { logger.error("writing metrics failed", metadata: ["error": "\(error)"]) }
            }
        } onGracefulShutdown: {}
        do { try await flush() } catch { logger.error("writing metrics failed", metadata: ["error": "\(error)"]) }
    }
}

/// An async mutual exclusion for flushes (one writer at a time, in arrival order).
final class FlushLock: Sendable {
    private let state = Mutex<(busy: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if !s.busy { s.busy = true; return true }
                s.waiters.append(c)
                return false
            }
            if ready { c.resume() }
        }
    }

    private func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.busy = false; return nil }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
