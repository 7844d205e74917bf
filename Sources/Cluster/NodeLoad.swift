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

    public init(capacity: Int = 0, running: Int = 0, environments: Int = 0, idleEnvironments: Int = 0) {
        self.capacity = capacity
        self.running = running
        self.environments = environments
        self.idleEnvironments = idleEnvironments
    }
}
