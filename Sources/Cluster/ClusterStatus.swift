import Foundation

/// `swiftlet cluster status` as text: a summary line, then one row per node — its condition (dead when its heartbeats
/// stopped), address, version, start, the age of its last heartbeat, its load and the leases it holds — and a row for
/// any holder of leases that is not registered.
public struct ClusterStatus: Sendable {
    public var nodes: [NodeRecord]
    public var leases: [String: NodeLeases]
    public var now: Date
    public var liveness: NodeLiveness

    /// One line of the table, each column as printed.
    public struct Row: Sendable, Equatable {
        public var node: String
        public var state: String
        public var address: String
        public var version: String
        public var started: String
        public var heartbeat: String
        public var running: String
        public var environments: String
        public var leases: String

        var columns: [String] { [node, state, address, version, started, heartbeat, running, environments, leases] }
    }

    static let headers = Row(node: "NODE", state: "STATE", address: "ADDRESS", version: "VERSION", started: "STARTED",
                             heartbeat: "HEARTBEAT", running: "RUNNING", environments: "ENVIRONMENTS", leases: "LEASES")

    public init(nodes: [NodeRecord], leases: [String: NodeLeases], now: Date, liveness: NodeLiveness = NodeLiveness()) {
        self.nodes = nodes
        self.leases = leases
        self.now = now
        self.liveness = liveness
    }

    /// Registered nodes by id, then holders of leases that are not registered.
    public var rows: [Row] {
        let registered = nodes.sorted { $0.id < $1.id }.map { node in
            let condition = liveness.condition(of: node, now: now)
            let live = condition == .serving || condition == .draining
            return Row(node: node.id, state: condition.rawValue, address: node.address, version: node.version.isEmpty ? "-" : node.version,
                       started: node.startedAt.formatted(.iso8601), heartbeat: Self.age(now.timeIntervalSince(node.heartbeatAt)) + " ago",
                       running: live ? "\(node.load.running)/\(node.load.capacity)" : "-",
                       environments: live ? "\(node.load.environments) (\(node.load.idleEnvironments) idle)" : "-",
                       leases: Self.describe(leases[node.id] ?? NodeLeases()))
        }
        let known = Set(nodes.map(\.id))
        let strangers = leases.keys.filter { !known.contains($0) }.sorted().map { holder in
            Row(node: holder, state: "unregistered", address: "-", version: "-", started: "-", heartbeat: "-", running: "-",
                environments: "-", leases: Self.describe(leases[holder] ?? NodeLeases()))
        }
        return registered + strangers
    }

    public var text: String {
        let rows = rows
        guard !rows.isEmpty else { return "no nodes registered\n" }
        let table = [Self.headers] + rows
        let widths = (0..<Self.headers.columns.count).map { column in table.map { $0.columns[column].count }.max() ?? 0 }
        var out = summary + "\n"
        for row in table {
            let cells = row.columns.enumerated().map { column, cell in
                column == widths.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            out += cells.joined(separator: "  ") + "\n"
        }
        if rows.contains(where: { $0.state == NodeCondition.dead.rawValue }) {
            out += "dead: no heartbeat for more than \(liveness.missedHeartbeats) of its heartbeat intervals; "
                + "its leases expire by themselves and other nodes take its work over\n"
        }
        return out
    }

    /// `3 nodes: 2 serving, 1 dead`.
    var summary: String {
        var counts: [NodeCondition: Int] = [:]
        for node in nodes { counts[liveness.condition(of: node, now: now), default: 0] += 1 }
        let parts = [NodeCondition.serving, .draining, .dead, .stopped].compactMap { condition in
            counts[condition].map { "\($0) \(condition.rawValue)" }
        }
        var line = "\(nodes.count) node\(nodes.count == 1 ? "" : "s")" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
        let strangers = Set(leases.keys).subtracting(nodes.map(\.id)).count
        if strangers > 0 { line += "; leases held by \(strangers) unregistered holder\(strangers == 1 ? "" : "s")" }
        return line
    }

    /// `0`, or what is held: `4 async, 8 deliveries, 3 slots`.
    static func describe(_ leases: NodeLeases) -> String {
        func count(_ n: Int, _ one: String, _ many: String) -> String? { n == 0 ? nil : "\(n) \(n == 1 ? one : many)" }
        let parts = [count(leases.asyncEvents, "async", "async"), count(leases.deliveries, "delivery", "deliveries"),
                     count(leases.concurrencySlots, "slot", "slots")].compactMap { $0 }
        return parts.isEmpty ? "0" : parts.joined(separator: ", ")
    }

    /// `4s`, `3m 12s`, `2h 05m`, `3d 4h`; a negative age (clocks apart) as `0s`.
    public static func age(_ interval: TimeInterval) -> String {
        let seconds = max(0, Int(interval.rounded(.down)))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3_600: return "\(seconds / 60)m \(seconds % 60)s"
        case ..<86_400: return "\(seconds / 3_600)h " + String(format: "%02dm", (seconds % 3_600) / 60)
        default: return "\(seconds / 86_400)d \((seconds % 86_400) / 3_600)h"
        }
    }
}
