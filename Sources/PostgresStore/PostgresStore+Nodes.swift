import Cluster
import Foundation
import PostgresNIO

/// The registry of the cluster's nodes. Times are milliseconds since 1970 by each node's clock, as leases are (nodes
/// of a cluster keep their clocks in step). Leases held are the unexpired leases by holder: of the work nodes claim
/// (async events, deliveries; timers commit by compare-and-swap and hold no lease) and of concurrency slots.
extension PostgresStore: NodeStore {
    public func registerNode(_ node: NodeRecord) async throws {
        let intervalMs = Self.milliseconds(node.heartbeatInterval)
        try await client.query("""
            INSERT INTO cluster_nodes (id, address, state, version, started_at, heartbeat_at, heartbeat_interval_ms,
                                       capacity, running, environments, idle_environments, warmth, provisioned)
            VALUES (\(node.id), \(node.address), \(node.state.rawValue), \(node.version), \(Self.milliseconds(node.startedAt)),
                    \(Self.milliseconds(node.heartbeatAt)), \(intervalMs), \(node.load.capacity), \(node.load.running),
                    \(node.load.environments), \(node.load.idleEnvironments), \(Self.jsonText(node.load.warm)),
                    \(Self.jsonText(node.load.provisioned)))
            ON CONFLICT (id) DO UPDATE SET address = excluded.address, state = excluded.state, version = excluded.version,
                started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,
                heartbeat_interval_ms = excluded.heartbeat_interval_ms, capacity = excluded.capacity, running = excluded.running,
                environments = excluded.environments, idle_environments = excluded.idle_environments, warmth = excluded.warmth,
                provisioned = excluded.provisioned
            """, logger: logger)
    }

    public func heartbeatNode(id: String, at: Date, address: String, load: NodeLoad) async throws -> NodeState? {
        let rows = try await rows("""
            UPDATE cluster_nodes SET heartbeat_at = \(Self.milliseconds(at)), address = \(address), capacity = \(load.capacity),
                running = \(load.running), environments = \(load.environments), idle_environments = \(load.idleEnvironments),
                warmth = \(Self.jsonText(load.warm)), provisioned = \(Self.jsonText(load.provisioned))
            WHERE id = \(id) RETURNING state
            """)
        guard let row = rows.first else { return nil }
        return try Self.nodeState(row.decode(String.self))
    }

    @discardableResult
    public func setNodeState(id: String, to state: NodeState) async throws -> Bool {
        try await !rows("UPDATE cluster_nodes SET state = \(state.rawValue) WHERE id = \(id) RETURNING 1").isEmpty
    }

    public func listNodes() async throws -> [NodeRecord] {
        try await rows("""
            SELECT id, address, state, version, started_at, heartbeat_at, heartbeat_interval_ms,
                   capacity, running, environments, idle_environments, warmth, provisioned
            FROM cluster_nodes ORDER BY id
            """).map { row in
            let (id, address, state, version, startedAt, heartbeatAt, intervalMs, capacity, running, environments, idle, warmth, provisioned) =
                try row.decode((String, String, String, String, Int64, Int64, Int64, Int, Int, Int, Int, String, String).self)
            return NodeRecord(id: id, address: address, state: try Self.nodeState(state), version: version,
                              startedAt: Self.date(startedAt), heartbeatAt: Self.date(heartbeatAt),
                              heartbeatInterval: .milliseconds(intervalMs),
                              load: NodeLoad(capacity: capacity, running: running, environments: environments, idleEnvironments: idle,
                                             warm: Self.fromJSONText(warmth), provisioned: Self.fromJSONText(provisioned)))
        }
    }

    public func leasesHeld(at now: Date) async throws -> [String: NodeLeases] {
        let nowMs = Self.milliseconds(now)
        var held: [String: NodeLeases] = [:]
        for row in try await rows("""
            SELECT lease_owner, 'async', COUNT(*) FROM async_events
                WHERE lease_owner IS NOT NULL AND lease_until > \(nowMs) GROUP BY lease_owner
            UNION ALL
            SELECT lease_owner, 'delivery', COUNT(*) FROM deliveries
                WHERE lease_owner IS NOT NULL AND lease_until > \(nowMs) GROUP BY lease_owner
            UNION ALL
            SELECT node, 'concurrency', SUM(slots)::BIGINT FROM concurrency_leases WHERE expires_at > \(now) GROUP BY node
            """) {
            let (owner, kind, count) = try row.decode((String, String, Int).self)
            switch kind {
            case "async": held[owner, default: NodeLeases()].asyncEvents = count
            case "delivery": held[owner, default: NodeLeases()].deliveries = count
            default: held[owner, default: NodeLeases()].concurrencySlots = count
            }
        }
        return held
    }

    /// Whether this database has the node registry (a node of this version or later has migrated it).
    public func hasNodeRegistry() async throws -> Bool {
        try await rows("SELECT to_regclass('cluster_nodes') IS NOT NULL")[0].decode(Bool.self)
    }

    /// The ids of the nodes serving at `now` other than `except`: state `serving`, and a heartbeat within
    /// `NodeLiveness`'s missed heartbeats of their own interval (the others count as dead). What a fence waits for and
    /// what work is shared between.
    static func servingNodesQuery(at now: Date, except: String) -> PostgresQuery {
        """
        SELECT id FROM cluster_nodes
        WHERE id <> \(except) AND state = 'serving'
          AND heartbeat_at > \(milliseconds(now)) - \(NodeLiveness().missedHeartbeats) * heartbeat_interval_ms
        """
    }

    /// `NodeLoad.warm` or `.provisioned` as stored (JSON).
    static func jsonText<Element: Encodable>(_ list: [Element]) -> String {
        guard !list.isEmpty, let data = try? JSONEncoder().encode(list) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// What `jsonText` stored; empty when unreadable (a report of load, never worth failing a listing for).
    static func fromJSONText<Element: Decodable>(_ text: String) -> [Element] {
        (try? JSONDecoder().decode([Element].self, from: Data(text.utf8))) ?? []
    }

    static func nodeState(_ text: String) throws -> NodeState {
        guard let state = NodeState(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "cluster_nodes.state \"\(text)\" is not a node state"))
        }
        return state
    }

    /// To the nearest millisecond, so a date read back (`date(_:)`) is written back as the same number.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
