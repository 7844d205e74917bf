import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Takes validated segments from the daemon and the API, and the facts of the platform's sampled invocations, holds
/// them in memory and writes them to the store in batches about every 200 ms (and before any query, so a trace read
/// after an invocation holds its segments). Recording is a lock and an append: Lambda's segments are built from the
/// facts when they are written, off the invocation's path. Past `maxPending` new ones are dropped and counted.
public final class TraceRecorder: Service, Sendable {
    let store: any TraceStore
    let interval: Duration
    let logger: Logger
    let maxPending: Int
    /// Given the platform's segments once built (the OTLP exporter).
    let platformSegments: (@Sendable ([SegmentDocument]) -> Void)?
    private let pending = Mutex<[StoredSegment]>([])
    private let invocations = Mutex<[LambdaInvocation]>([])
    private let dropped = Atomic<Int>(0)

    public init(store: any TraceStore, interval: Duration = .milliseconds(200), maxPending: Int = 100_000, logger: Logger,
                platformSegments: (@Sendable ([SegmentDocument]) -> Void)? = nil) {
        self.platformSegments = platformSegments
        self.store = store
        self.interval = interval
        self.maxPending = maxPending
        self.logger = logger
    }

    /// Segments dropped because the buffer was full.
    public var droppedCount: Int { dropped.load(ordering: .relaxed) }

    public func record(_ segments: [SegmentDocument]) {
        guard !segments.isEmpty else { return }
        let now = Int64(Date().timeIntervalSince1970)
        let stored = segments.map { StoredSegment($0, receivedAt: now) }
        let taken = pending.withLock { all -> Bool in
            guard all.count + stored.count <= maxPending else { return false }
            all.append(contentsOf: stored)
            return true
        }
        if !taken { dropped.add(stored.count, ordering: .relaxed) }
    }

    /// Records a sampled invocation; its segments are built when they are written.
    public func record(invocation: LambdaInvocation) {
        let taken = invocations.withLock { all -> Bool in
            guard all.count < maxPending / 2 else { return false }
            all.append(invocation)
            return true
        }
        if !taken { dropped.add(2, ordering: .relaxed) }
    }

    /// Writes everything recorded so far.
    public func flush() async throws {
        let facts = invocations.withLock { all -> [LambdaInvocation] in
            defer { all.removeAll(keepingCapacity: true) }
            return all
        }
        if !facts.isEmpty {
            let built = facts.flatMap { LambdaSegments.documents(for: $0) }
            record(built)
            platformSegments?(built)
        }
        let taken = pending.withLock { all -> [StoredSegment] in
            defer { all.removeAll(keepingCapacity: true) }
            return all
        }
        guard !taken.isEmpty else { return }
        do {
            try await store.putTraceSegments(taken)
        } catch {
            pending.withLock { all in all.insert(contentsOf: taken.prefix(max(0, maxPending - all.count)), at: 0) }
            throw error
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
                do { try await flush() } catch { logger.error("writing trace segments failed", metadata: ["error": "\(error)"]) }
            }
        } onGracefulShutdown: {}
        do { try await flush() } catch { logger.error("writing trace segments failed", metadata: ["error": "\(error)"]) }
    }
}
