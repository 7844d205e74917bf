/// What this node has warm, for a cluster's routing: its idle environments by function revision (published at each
/// heartbeat), and whether one revision has an idle environment here (a sync invoke then stays on this node).
extension Invoker {
    /// Idle environments per function version and revision; only pools with at least one, in no particular order.
    public func idleEnvironments() -> [(function: String, version: String, revisionId: String, idle: Int)] {
        let all = pools.withLock { Array($0.values) }
        return all.compactMap { pool in
            let idle = pool.idleCount
            return idle > 0 ? (pool.functionName, pool.version, pool.revisionId, idle) : nil
        }
    }

    /// Whether an invoke of `function` at `version` and `revisionId` would find a warm environment here now.
    public func hasIdleEnvironment(function: String, version: String, revisionId: String) -> Bool {
        let pool = pools.withLock { $0[Self.poolKey(function, version)] }
        guard let pool, pool.revisionId == revisionId else { return false }
        return pool.idleCount > 0
    }

    /// The key of a function version's pool of environments.
    static func poolKey(_ function: String, _ version: String) -> String {
        function + "\u{0}" + version
    }
}
