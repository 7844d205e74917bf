import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// This node in the cluster's registry: registers it when the service starts, beats every `heartbeatInterval` with
/// the load the server reports, notices when its stored state changes (an operator's `swiftlet cluster drain`) and
/// marks it `stopped` when the service group shuts down gracefully. A node killed or cut off stops beating and is
/// taken for dead by `NodeLiveness`.
///
/// In the service group it belongs just after the store it writes to: graceful shutdown runs in reverse order, so it
/// marks the node stopped after everything that holds work has finished, and before the store closes.
public final class NodeRegistry: Service, Sendable {
    public struct Configuration: Sendable {
        public var nodeId: String
        /// The Swiftlet version this node runs.
        public var version: String
        public var heartbeatInterval: Duration

        public init(nodeId: String, version: String, heartbeatInterval: Duration = .seconds(5)) {
            self.nodeId = nodeId
            self.version = version
            self.heartbeatInterval = heartbeatInterval
        }
    }

    let store: any NodeStore
    let configuration: Configuration
    let address: @Sendable () -> String
    let load: @Sendable () -> NodeLoad
    let onStateChange: @Sendable (NodeState) -> Void
    let clock: @Sendable () -> Date
    let logger: Logger
    private let status = Mutex(Status())

    struct Status {
        /// When the node first registered (kept when it registers again after its row was removed).
        var startedAt: Date?
        /// The state last written or read back.
        var state: NodeState?
    }

    /// - Parameters:
    ///   - address: the node's main listener as other nodes reach it, read at each registration and heartbeat (a
    ///     listener on port 0 knows its port only once bound).
    ///   - load: the server's figures, read at each heartbeat.
    ///   - onStateChange: called when a heartbeat finds the stored state changed (not for changes this node made).
    public init(store: any NodeStore, configuration: Configuration, address: @escaping @Sendable () -> String,
                load: @escaping @Sendable () -> NodeLoad, onStateChange: @escaping @Sendable (NodeState) -> Void = { _ in },
                logger: Logger, clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.configuration = configuration
        self.address = address
        self.load = load
        self.onStateChange = onStateChange
        self.logger = logger
        self.clock = clock
    }

    public var nodeId: String { configuration.nodeId }

    /// The node's state as last written or read back; nil before it registered.
    public var state: NodeState? { status.withLock { $0.state } }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                if state == nil { await register() } else { await beat() }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.configuration.heartbeatInterval) }
            }
        } onGracefulShutdown: {}
        if Task.isShuttingDownGracefully && !Task.isCancelled { await stop() }
    }

    /// Marks this node draining in the registry (the server stops taking new work); heartbeats go on.
    public func drain() async throws {
        try await setState(.draining)
    }

    // MARK: Steps of the loop

    /// Writes this node's row as serving; false (logged) when the store refused.
    @discardableResult
    func register() async -> Bool {
        let now = clock()
        let startedAt = status.withLock { status in
            if status.startedAt == nil { status.startedAt = now }
            return status.startedAt ?? now
        }
        let node = NodeRecord(id: nodeId, address: address(), state: .serving, version: configuration.version, startedAt: startedAt,
                              heartbeatAt: now, heartbeatInterval: configuration.heartbeatInterval, load: load())
        do {
            try await store.registerNode(node)
        } catch {
            logger.error("registering the node failed", metadata: ["node": "\(nodeId)", "error": "\(error)"])
            return false
        }
        status.withLock { $0.state = .serving }
        logger.info("node registered", metadata: ["node": "\(nodeId)", "address": "\(node.address)"])
        return true
    }

    /// One heartbeat: registers again when the row is gone; tells `onStateChange` when the stored state changed.
    func beat() async {
        let stored: NodeState?
        do {
            stored = try await store.heartbeatNode(id: nodeId, at: clock(), address: address(), load: load())
        } catch {
            logger.warning("heartbeat failed", metadata: ["node": "\(nodeId)", "error": "\(error)"])
            return
        }
        guard let stored else {
            logger.notice("the node's registration was removed; registering again", metadata: ["node": "\(nodeId)"])
            await register()
            return
        }
        let previous = status.withLock { status in
            defer { status.state = stored }
            return status.state
        }
        guard previous != stored else { return }
        logger.notice("node state changed in the registry", metadata: [
            "node": "\(nodeId)", "from": "\(previous?.rawValue ?? "-")", "to": "\(stored.rawValue)"])
        onStateChange(stored)
    }

    /// Marks the node stopped (graceful shutdown); logged when the store refused.
    func stop() async {
        guard state != nil else { return }
        do {
            try await setState(.stopped)
            logger.info("node marked stopped", metadata: ["node": "\(nodeId)"])
        } catch {
            logger.error("marking the node stopped failed", metadata: ["node": "\(nodeId)", "error": "\(error)"])
        }
    }

    private func setState(_ state: NodeState) async throws {
        guard try await store.setNodeState(id: nodeId, to: state) else {
            throw NodeRegistryError.notRegistered(nodeId)
        }
        status.withLock { $0.state = state }
    }
}
