import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Where in the cluster a function revision is warm: every `refreshInterval` it reads the nodes' registry (one query)
/// and keeps, for each function revision, the other serving, live nodes that reported idle environments of it at
/// their last heartbeat. `claim(function:version:revisionId:)` answers one of them, in turn, so a node without an
/// idle environment may forward a sync invoke there rather than cold-start.
///
/// Warmth is a hint up to a heartbeat old, so the router keeps it from being overdrawn: a peer gets at most as many
/// forwards at once as it reported idle environments (a burst beyond that cold-starts where it lands, spread over
/// the cluster as before), and a peer that failed a forward is left out for `suspension`. The caller falls back to
/// running locally when forwarding fails.
public final class WarmRouter: Service, Sendable {
    let store: any NodeStore
    let nodeId: String
    let refreshInterval: Duration
    let suspension: TimeInterval
    let liveness: NodeLiveness
    let clock: @Sendable () -> Date
    let logger: Logger
    private let state = Mutex(State())

    struct State {
        var table = WarmTable()
        var turn = 0
        /// Forwards under way, by peer and revision.
        var inFlight: [WarmTable.Claim: Int] = [:]
        /// Peers left out until then, after a failed forward.
        var suspended: [String: Date] = [:]
    }

    /// - Parameters:
    ///   - nodeId: this node, never answered as a peer.
    ///   - suspension: how long a peer that failed a forward is left out.
    public init(store: any NodeStore, nodeId: String, refreshInterval: Duration = .seconds(2), suspension: TimeInterval = 10,
                liveness: NodeLiveness = NodeLiveness(), logger: Logger, clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.nodeId = nodeId
        self.refreshInterval = refreshInterval
        self.suspension = suspension
        self.liveness = liveness
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        // A read stuck on an unreachable database must not hold up the shutdown: it is cancelled with the sleep.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.refresh()
                try await Task.sleep(for: self.refreshInterval)
            }
        }
    }

    /// Reads the registry once; keeps the previous table when the store fails (logged).
    public func refresh() async {
        do {
            let table = WarmTable(nodes: try await store.listNodes(), excluding: nodeId, now: clock(), liveness: liveness)
            state.withLock { $0.table = table }
        } catch {
            logger.debug("reading the nodes' warmth failed", metadata: ["error": "\(error)"])
        }
    }

    /// The address (`http://host:port`) of another node with an idle environment of exactly this revision that is
    /// not already taking as many forwards as it reported idle environments, nor suspended; nil when there is none.
    /// Every address answered must be given back with `release` when its forward is over.
    public func claim(function: String, version: String, revisionId: String) -> String? {
        let key = WarmTable.Key(function: function, version: version, revisionId: revisionId)
        let now = clock()
        return state.withLock { state in
            guard let peers = state.table.peers[key], !peers.isEmpty else { return nil }
            state.turn &+= 1
            let start = Int(UInt(bitPattern: state.turn) % UInt(peers.count))
            for offset in 0..<peers.count {
                let peer = peers[(start + offset) % peers.count]
                if let until = state.suspended[peer.address] {
                    if until > now { continue }
                    state.suspended[peer.address] = nil
                }
                let claim = WarmTable.Claim(address: peer.address, key: key)
                guard state.inFlight[claim, default: 0] < peer.idle else { continue }
                state.inFlight[claim, default: 0] += 1
                return peer.address
            }
            return nil
        }
    }

    /// Gives back what `claim` answered, once the forward is over (answered or failed).
    public func release(_ address: String, function: String, version: String, revisionId: String) {
        let claim = WarmTable.Claim(address: address, key: .init(function: function, version: version, revisionId: revisionId))
        state.withLock { state in
            guard let count = state.inFlight[claim] else { return }
            state.inFlight[claim] = count > 1 ? count - 1 : nil
        }
    }

    /// Leaves `address` out for `suspension` (a forward to it failed).
    public func suspend(_ address: String) {
        let until = clock().addingTimeInterval(suspension)
        state.withLock { $0.suspended[address] = until }
    }

    /// Other nodes with an idle environment of some revision, by function (for `/metrics`).
    public func peersByFunction() -> [String: Int] {
        let table = state.withLock { $0.table }
        var counts: [String: Int] = [:]
        for (key, peers) in table.peers { counts[key.function, default: 0] += peers.count }
        return counts
    }
}

/// The nodes with idle environments of each function revision, built from the registry.
struct WarmTable: Sendable {
    struct Key: Hashable, Sendable {
        var function: String
        var version: String
        var revisionId: String
    }

    struct Peer: Equatable, Sendable {
        var address: String
        var idle: Int
    }

    /// One peer's forwards of one revision.
    struct Claim: Hashable, Sendable {
        var address: String
        var key: Key
    }

    /// Peers by revision, in node id order.
    var peers: [Key: [Peer]] = [:]

    init() {}

    /// Serving nodes other than `excluding`, alive at `now`, with an address and at least one idle environment of
    /// the revision.
    init(nodes: [NodeRecord], excluding self: String, now: Date, liveness: NodeLiveness) {
        for node in nodes.sorted(by: { $0.id < $1.id })
        where node.id != self && node.state == .serving && !node.address.isEmpty && !liveness.isDead(node, now: now) {
            for warm in node.load.warm where warm.idle > 0 {
                let key = Key(function: warm.function, version: warm.version, revisionId: warm.revisionId)
                if let index = peers[key]?.firstIndex(where: { $0.address == node.address }) {
                    peers[key]?[index].idle += warm.idle
                } else {
                    peers[key, default: []].append(Peer(address: node.address, idle: warm.idle))
                }
            }
        }
    }
}
