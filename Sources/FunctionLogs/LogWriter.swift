import AWSProtocol
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Collects log events from every environment and writes them to the store in batches, off the
/// invocation path. Runs as a service: stops after a final flush on graceful shutdown.
/// Lines beyond a group's `LogIngestionLimit` are dropped, counted and reported.
public final class LogWriter: Service, Sendable {
    let store: any LogEventStore
    let interval: Duration
    let logger: Logger
    let limit: LogIngestionLimit
    /// Retention of the groups the writer creates (nil: never expire).
    let newGroupRetentionDays: Int?
    private let state: Mutex<State>
    private let dropped = Atomic<Int>(0)
    private let batchObservers = Mutex<[@Sendable ([LogEvent]) -> Void]>([])

    /// Adds an observer told of every batch before it is written (off the invocation path): Embedded Metric Format
    /// lines become metrics there, metric and subscription filters run there.
    public func observeBatches(_ observer: @escaping @Sendable ([LogEvent]) -> Void) {
        batchObservers.withLock { $0.append(observer) }
    }

    struct State {
        var pending: [LogEvent] = []
        var pendingBytes = 0
        var buckets: [String: IngestionBucket] = [:]
        var drops: [String: DroppedLines] = [:]
    }

    public init(store: any LogEventStore, interval: Duration = .milliseconds(100), limit: LogIngestionLimit = LogIngestionLimit(),
                newGroupRetentionDays: Int? = nil, logger: Logger) {
        self.store = store
        self.interval = interval
        self.limit = limit
        self.newGroupRetentionDays = newGroupRetentionDays
        self.logger = logger
        self.state = Mutex(State())
    }

    /// Lines dropped by the ingestion limit since the server started.
    public var droppedEvents: Int { dropped.load(ordering: .relaxed) }

    /// Queues events for the next batch.
    public func append(_ events: [LogEvent]) {
        guard !events.isEmpty else { return }
        let now = ContinuousClock.now
        let refused = state.withLock { state -> Int in
            var refused = 0
            for event in events where !state.admit(event, now: now, limit: limit) { refused += 1 }
            return refused
        }
        if refused > 0 { dropped.add(refused, ordering: .relaxed) }
    }

    public func append(_ event: LogEvent) {
        let now = ContinuousClock.now
        let admitted = state.withLock { $0.admit(event, now: now, limit: limit) }
        if !admitted { dropped.add(1, ordering: .relaxed) }
    }

    /// Writes everything queued so far, with a line in each stream that lost lines since the last write.
    public func flush() async {
        let (batch, drops) = state.withLock { state -> ([LogEvent], [String: DroppedLines]) in
            let all = state.pending
            let drops = state.drops
            state.pending.removeAll(keepingCapacity: true)
            state.pendingBytes = 0
            state.drops.removeAll()
            return (all, drops)
        }
        var events = batch
        for (group, drop) in drops.sorted(by: { $0.key < $1.key }) {
            logger.warning("function logs dropped: ingestion limit", metadata: [
                "logGroup": "\(group)", "events": "\(drop.events)", "bytes": "\(drop.bytes)",
                "bytesPerSecond": "\(limit.bytesPerSecond)"])
            events.append(LogEvent(group: group, stream: drop.stream, timestamp: LogNames.nowMs(), message:
                "Swiftlet dropped \(drop.events) log events (\(drop.bytes) bytes) of this log group: more than \(limit.bytesPerSecond) bytes per second were logged.\n"))
        }
        guard !events.isEmpty else { return }
        for observer in batchObservers.withLock({ $0 }) { observer(events) }
        do {
            try await store.appendLogEvents(events, newGroupRetentionDays: newGroupRetentionDays)
        } catch {
            logger.error("writing function logs failed", metadata: ["events": "\(events.count)", "error": "\(error)"])
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: interval)
                // A flush stuck on a store call that never returns (begun during a database outage) must not keep the
                // writer from stopping: the shutdown goes on without it (its batch is lost, as when the store refuses).
                await firstAnswer({ await self.flush() }, { try? await gracefulShutdown() })
            }
        } onGracefulShutdown: {}
        // The last flush may meet a store whose connection went away under it: not waited for past 5 s, so the
        // shutdown goes on (what it held is lost, as when the store refuses it).
        await firstAnswer({ await self.flush() }, { try? await Task.sleep(for: .seconds(5)) })
    }
}

extension LogWriter.State {
    /// Queues the event if its group's bucket and the pending bound allow, else counts it as dropped.
    mutating func admit(_ event: LogEvent, now: ContinuousClock.Instant, limit: LogIngestionLimit) -> Bool {
        let cost = LogIngestionLimit.cost(event)
        var bucket = buckets[event.group] ?? IngestionBucket(tokens: Double(limit.burstBytes), refilled: now)
        let fits = pendingBytes + cost <= limit.maxPendingBytes && bucket.take(cost, now: now, limit: limit)
        buckets[event.group] = bucket
        guard fits else {
            drops[event.group, default: DroppedLines(stream: event.stream)].events += 1
            drops[event.group]!.bytes += cost
            drops[event.group]!.stream = event.stream
            return false
        }
        pending.append(event)
        pendingBytes += cost
        return true
    }
}
