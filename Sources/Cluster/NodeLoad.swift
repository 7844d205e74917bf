/// How busy a node is, as it reports at each heartbeat.
public struct NodeLoad: Sendable, Codable, Equatable {
    /// Invocations the node runs at most at once (its account concurrency limit).
    public var capacity: Int
    /// Invocations running now.
    public var running: Int
    /// Execution environments alive, busy or idle.
    public var environments: Int
    /// Of those, the ones waiting for an invocation.
    public var idleEnvironments: Int
    /// The idle environments by function revision (only revisions with at least one).
    public var warm: [NodeWarmth]
    /// The provisioned environments it keeps, by configuration (only configurations it holds a share of).
    public var provisioned: [NodeProvisioned]

    public init(capacity: Int = 0, running: Int = 0, environments: Int = 0, idleEnvironments: Int = 0, warm: [NodeWarmth] = [],
                provisioned: [NodeProvisioned] = []) {
        self.capacity = capacity
        self.running = running
        self.environments = environments
        self.idleEnvironments = idleEnvironments
        self.warm = warm
        self.provisioned = provisioned
    }

    enum CodingKeys: String, CodingKey {
        case capacity, running, environments, idleEnvironments, warm, provisioned
    }

    /// `warm` and `provisioned` may be absent (a node of an earlier version).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        capacity = try container.decode(Int.self, forKey: .capacity)
        running = try container.decode(Int.self, forKey: .running)
        environments = try container.decode(Int.self, forKey: .environments)
        idleEnvironments = try container.decode(Int.self, forKey: .idleEnvironments)
        warm = try container.decodeIfPresent([NodeWarmth].self, forKey: .warm) ?? []
        provisioned = try container.decodeIfPresent([NodeProvisioned].self, forKey: .provisioned) ?? []
    }
}
