import FunctionNetwork
import Sandbox

/// What an environment holds outside its processes before they start: its cgroups, with the memory limit applied,
/// and a prepared network namespace (when the host has them).
struct EnvironmentResources: Sendable {
    let cgroups: CgroupSet?
    let network: NetworkPool.Lease?
    /// Gives the network namespace back (once; an environment that took the resources over calls it at its end).
    let releaseNetwork: @Sendable () -> Void

    /// Gives everything back: what an environment that never started held.
    func release() async {
        releaseNetwork()
        if let cgroups { await cgroups.remove() }
    }
}

extension EnvironmentHost {
    /// The cgroups `env-<id>` limited to `memoryMB` and a network namespace from the pool; on failure nothing is kept.
    func reserveResources(environmentId id: String, memoryMB: Int) async throws -> EnvironmentResources {
        let cgroups = try self.cgroups?.create("env-" + id)
        var network: NetworkPool.Lease?
        do {
            try cgroups?.applyLimits(memoryMB: memoryMB)
            if let pool = self.network { network = try await pool.acquire() }
        } catch {
            if let cgroups { await cgroups.remove() }
            throw error
        }
        return EnvironmentResources(cgroups: cgroups, network: network,
                                    releaseNetwork: { [network, pool = self.network] in if let network { pool?.release(network) } })
    }
}
