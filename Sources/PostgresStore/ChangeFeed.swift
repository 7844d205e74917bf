import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Announces the configuration changes every node commits (`StoreChange`), so that each node drops what it cached:
/// it LISTENs on `swiftlet_changes`, which migration 026's triggers notify, on one connection of the store's pool held
/// for as long as it listens. When that connection is lost — the database restarted, the backend was terminated, a
/// heartbeat went unanswered — it takes another (at once, then backing off while the database is away) and, once
/// listening again, announces `.everything`: what was committed meanwhile is unknown. It announces `.everything` when
/// it first listens too, for what was committed before.
///
/// A service: run it while the store runs (after the store in the service group, so that it stops first), and
/// subscribe with `changes()`. Each subscriber gets every change, buffered without bound (changes are rare and
/// small; dropping one would leave a cache stale).
public final class ChangeFeed: Service, Sendable {
    let client: PostgresClient
    let logger: Logger
    /// How often the listening connection is asked whether it is alive, and how long it has to answer.
    let heartbeat: Duration
    /// The wait before listening again after a failed attempt: doubled after each, up to the longest.
    let firstRetryDelay: Duration
    let longestRetryDelay: Duration
    private let state = Mutex(State())

    private struct State {
        var subscribers: [Int: AsyncStream<StoreChange>.Continuation] = [:]
        var nextSubscriber = 0
        var stopped = false
        var listener: Int32?
        /// Told of every change in the listening task itself, before subscribers are (`observeInline`).
        var inline: [@Sendable (StoreChange) -> Void] = []
        /// Fences waiting for their marker and their peers' acknowledgements, by id.
        var fences: [String: Fence] = [:]
    }

    private struct Fence {
        var continuation: CheckedContinuation<Bool, Never>
        var markerSeen = false
        /// Peers that have not acknowledged the marker yet.
        var waitingFor: Set<String>
        var done: Bool { markerSeen && waitingFor.isEmpty }
    }

    /// The payload prefix of a fence's marker (`fence:<id>`) and of a node's acknowledgement of one
    /// (`ack:<id>:<node>`); neither is a change, neither is published.
    static let fencePrefix = "fence:"
    static let ackPrefix = "ack:"
    /// This node's id (it acknowledges other nodes' fences under it).
    let nodeId: String

    init(client: PostgresClient, nodeId: String, heartbeat: Duration, firstRetryDelay: Duration = .milliseconds(100),
         longestRetryDelay: Duration = .seconds(5), logger: Logger) {
        self.nodeId = nodeId
        self.client = client
        self.heartbeat = heartbeat
        self.firstRetryDelay = firstRetryDelay
        self.longestRetryDelay = longestRetryDelay
        self.logger = logger
    }

    /// The changes announced from now on, until the feed stops (an already stopped feed: none).
    public func changes() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreChange.self)
        let id: Int? = state.withLock { state in
            guard !state.stopped else { return nil }
            defer { state.nextSubscriber += 1 }
            state.subscribers[state.nextSubscriber] = continuation
            return state.nextSubscriber
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Runs `observer` for every change (and `everything`) in the task that reads the notifications, as soon as each is
    /// read — before subscribers see it and before a later notification (a fence's marker) is read. For cheap,
    /// synchronous drops that must win the race against the next request.
    public func observeInline(_ observer: @escaping @Sendable (StoreChange) -> Void) {
        state.withLock { $0.inline.append(observer) }
    }

    /// The PostgreSQL backend process that listens (`pg_stat_activity.pid`), while one does.
    public var listenerProcessID: Int32? { state.withLock { $0.listener } }

    /// Listens until cancelled or the service group shuts down gracefully; then ends every subscriber's stream.
    public func run() async {
        await cancelWhenGracefulShutdown { await self.listen() }
        let subscribers = state.withLock { state in
            state.stopped = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    private func listen() async {
        var delay = Duration.zero
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in try await listen(on: connection) }
            } catch {
                if Task.isCancelled { break }
                let listened = state.withLock { state in
                    defer { state.listener = nil }
                    return state.listener != nil
                }
                // Lost after listening: at once (the database may be fine); failed to listen again: back off.
                delay = listened ? .zero : min(max(delay * 2, firstRetryDelay), longestRetryDelay)
                logger.warning("change feed not listening", metadata: ["error": "\(String(reflecting: error))", "retryIn": "\(delay)"])
            }
            if delay > .zero {
                do { try await Task.sleep(for: delay) } catch { break }
            }
        }
        state.withLock { $0.listener = nil }
    }

    /// Listens on `connection` until it is lost (throws) or the task is cancelled (throws `CancellationError`).
    private func listen(on connection: PostgresConnection) async throws {
        try await connection.listen(on: ChangeSource.channel) { notifications in
            let backend = try await connection.query("SELECT pg_backend_pid()", logger: logger).collect().first?.decode(Int32.self)
            state.withLock { $0.listener = backend }
            logger.info("change feed listening", metadata: ["backend": "\(backend.map(String.init) ?? "?")"])
            publish(.everything)
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Closes the connection when it stops answering, which ends `notifications` with an error.
                group.addTask { await self.watch(connection) }
                for try await notification in notifications {
                    if !handleFenceTraffic(notification.payload) {
                        publish(StoreChange(payload: notification.payload))
                    }
                }
                try Task.checkCancellation()
                throw Interruption.notificationsEnded
            }
        }
    }

    /// Sends a query every `heartbeat`; closes the connection when one goes unanswered that long.
    private func watch(_ connection: PostgresConnection) async {
        while true {
            do { try await Task.sleep(for: heartbeat) } catch { return }
            let answered = await withTaskGroup(of: Bool.self) { group in
                group.addTask { (try? await connection.query("SELECT 1", logger: self.logger).collect()) != nil }
                group.addTask {
                    try? await Task.sleep(for: self.heartbeat)
                    return false
                }
                let answered = await group.next() ?? false
                // A query the server never answers ends when the connection closes.
                if !answered && !Task.isCancelled { try? await connection.close() }
                group.cancelAll()
                return answered
            }
            guard answered, !Task.isCancelled else {
                if !Task.isCancelled { logger.warning("change feed's connection did not answer its heartbeat: closed") }
                return
            }
        }
    }

    /// Returns once every serving node has read every change committed before the call — this node when it reads the
    /// marker it notifies now (changes arrive in commit order), each other node when it acknowledges that marker, which
    /// it does after reading (and dropping, `observeInline`) what came before it — or after `timeout` (false: a node
    /// was slow or gone; what it caches is then dropped a moment later).
    public func fence(timeout: Duration = .seconds(1)) async -> Bool {
        let id = UUID().uuidString.lowercased()
        let peers: Set<String>
        do {
            peers = Set(try await client.query(PostgresStore.servingNodesQuery(at: Date(), except: nodeId), logger: logger)
                .collect().map { try $0.decode(String.self) })
        } catch {
            return false
        }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            state.withLock { $0.fences[id] = Fence(continuation: continuation, waitingFor: peers) }
            Task {
                do {
                    try await client.query("SELECT pg_notify(\(ChangeSource.channel), \(Self.fencePrefix + id))", logger: logger)
                } catch {
                    resolveFence(id, reached: false)
                    return
                }
                try? await Task.sleep(for: timeout)
                resolveFence(id, reached: false)
            }
        }
    }

    /// A marker or an acknowledgement read from the channel: true when it was one (and is not to be published).
    private func handleFenceTraffic(_ payload: String) -> Bool {
        if payload.hasPrefix(Self.fencePrefix) {
            let id = String(payload.dropFirst(Self.fencePrefix.count))
            let ours = state.withLock { s -> Bool in
                guard s.fences[id] != nil else { return false }
                s.fences[id]?.markerSeen = true
                return true
            }
            if ours {
                finishIfDone(id)
            } else {
                // Another node's: everything before it has been read (and dropped) here; say so.
                let ack = Self.ackPrefix + id + ":" + nodeId
                Task { _ = try? await client.query("SELECT pg_notify(\(ChangeSource.channel), \(ack))", logger: logger) }
            }
            return true
        }
        if payload.hasPrefix(Self.ackPrefix) {
            let rest = payload.dropFirst(Self.ackPrefix.count)
            if let colon = rest.firstIndex(of: ":") {
                let id = String(rest[..<colon]), node = String(rest[rest.index(after: colon)...])
                state.withLock { _ = $0.fences[id]?.waitingFor.remove(node) }
                finishIfDone(id)
            }
            return true
        }
        return false
    }

    private func finishIfDone(_ id: String) {
        let finished = state.withLock { s -> Fence? in
            guard let fence = s.fences[id], fence.done else { return nil }
            return s.fences.removeValue(forKey: id)
        }
        finished?.continuation.resume(returning: true)
    }

    private func resolveFence(_ id: String, reached: Bool) {
        state.withLock { $0.fences.removeValue(forKey: id) }?.continuation.resume(returning: reached)
    }

    private func publish(_ change: StoreChange) {
        let (inline, subscribers) = state.withLock { ($0.inline, Array($0.subscribers.values)) }
        for observer in inline { observer(change) }
        for subscriber in subscribers { subscriber.yield(change) }
    }

    private enum Interruption: Error {
        case notificationsEnded
    }
}
