import Catalog
import Foundation
import Synchronization

/// The environments kept initialised for one provisioned-concurrency configuration (a version or an
/// alias of a function). They live in their versions' pools like any other environment, but are
/// started before any invocation, report no `Init Duration`, are never shut down for being idle, and
/// are replaced when they die.
final class ProvisionedAllocation: Sendable {
    let functionName: String
    let qualifier: String
    /// The versions it keeps environments for, and how many each.
    let shares: [(version: String, count: Int)]
    private struct State {
        var environments: [ExecutionEnvironment] = []
        var failure: String?
        var cancelled = false
        var tasks: [Task<Void, Never>] = []
    }
    private let state = Mutex(State())

    init(functionName: String, qualifier: String, shares: [(version: String, count: Int)]) {
        self.functionName = functionName
        self.qualifier = qualifier
        self.shares = shares
    }

    var versions: [String] { shares.map(\.version) }
    var requested: Int { shares.reduce(0) { $0 + $1.count } }
    /// Its environments that are alive now.
    var liveEnvironments: [ExecutionEnvironment] { state.withLock { $0.environments.filter { !$0.isDead } } }
    var isCancelled: Bool { state.withLock { $0.cancelled } }

    var status: ProvisionedConcurrencyStatus {
        let (live, failure) = state.withLock { s in (s.environments.filter { !$0.isDead }.count, s.failure) }
        if let failure, live < requested {
            return ProvisionedConcurrencyStatus(phase: .failed, allocated: live, available: live, reason: failure)
        }
        return ProvisionedConcurrencyStatus(phase: live >= requested ? .ready : .inProgress, allocated: live, available: live)
    }

    /// Records an initialised environment; false when the allocation was cancelled meanwhile.
    func add(_ env: ExecutionEnvironment) -> Bool {
        state.withLock { s in
            guard !s.cancelled else { return false }
            s.environments.removeAll { $0.isDead }
            s.environments.append(env)
            return true
        }
    }

    func fail(_ reason: String) {
        state.withLock { $0.failure = reason }
    }

    func track(_ task: Task<Void, Never>) {
        let cancelled = state.withLock { s -> Bool in
            s.tasks.removeAll { $0.isCancelled }
            s.tasks.append(task)
            return s.cancelled
        }
        if cancelled { task.cancel() }
    }

    /// Stops keeping environments: idle ones go now, busy ones after their invocation.
    func cancel() {
        let (envs, tasks) = state.withLock { s -> ([ExecutionEnvironment], [Task<Void, Never>]) in
            s.cancelled = true
            defer { s.environments.removeAll(); s.tasks.removeAll() }
            return (s.environments, s.tasks)
        }
        for task in tasks { task.cancel() }
        for env in envs { env.drain() }
    }
}

extension Invoker {
    static func provisionKey(_ functionName: String, _ qualifier: String) -> String {
        functionName + "\u{0}" + qualifier
    }

    /// Brings up the environments of a provisioned configuration in the background, replacing what an
    /// earlier configuration of the same qualifier kept. In a cluster, this node's share of it (the placement reads
    /// the configuration from the store).
    public func provision(_ target: FunctionCatalog.ProvisionedTarget) {
        if let placement = placement.withLock({ $0 }) {
            placement.wake()
            return
        }
        provisionHere(target)
    }

    /// Brings up `target`'s environments on this node.
    func provisionHere(_ target: FunctionCatalog.ProvisionedTarget) {
        let allocation = ProvisionedAllocation(
            functionName: target.functionName, qualifier: target.qualifier,
            shares: target.allocations.map { ($0.definition.version, $0.count) })
        let key = Self.provisionKey(target.functionName, target.qualifier)
        let previous = provisioned.withLock { $0.updateValue(allocation, forKey: key) }
        previous?.cancel()
        for (definition, count) in target.allocations {
            for _ in 0..<count {
                startProvisioned(definition, allocation: allocation)
            }
        }
        logger.info("provisioning environments", metadata: [
            "function": "\(target.functionName)", "qualifier": "\(target.qualifier)", "count": "\(allocation.requested)"])
    }

    /// Starts one provisioned environment, and another whenever it dies while the allocation lasts.
    private func startProvisioned(_ function: FunctionDefinition, allocation: ProvisionedAllocation) {
        let task = Task { [self] in
            guard !allocation.isCancelled else { return }
            let pool = self.pool(for: function, version: function.version)
            do {
                let env = try await launch(function, version: function.version, pool: pool, provisioned: true)
                guard await env.waitUntilInitialised() else {
                    allocation.fail("FUNCTION_ERROR_INIT_FAILURE: the function's initialisation failed.")
                    return
                }
                guard allocation.add(env), pool.release(env) else {
                    env.drain()
                    return
                }
                env.scheduleIdle(freezeAfter: settings.freezeAfter, shutDownAfter: settings.idleTimeout)
                await env.waitForExit()
                if !allocation.isCancelled { startProvisioned(function, allocation: allocation) }
            } catch {
                allocation.fail("Could not start a provisioned environment: \(error)")
            }
        }
        allocation.track(task)
    }

    /// Provisioned concurrency `function` holds for versions other than `version` (0 when `version` has some).
    func provisionedElsewhere(_ function: String, version: String) -> Int {
        provisioned.withLock { all in
            var held = 0
            for allocation in all.values where allocation.functionName == function {
                if allocation.versions.contains(version) { return 0 }
                held += allocation.requested
            }
            return held
        }
    }

    /// Stops the provisioned concurrency of one qualifier (in a cluster, on every node: each notices the configuration
    /// is gone).
    public func unprovision(functionName: String, qualifier: String) {
        if let placement = placement.withLock({ $0 }) {
            placement.wake()
            return
        }
        unprovisionHere(functionName: functionName, qualifier: qualifier)
    }

    func unprovisionHere(functionName: String, qualifier: String) {
        let removed = provisioned.withLock { $0.removeValue(forKey: Self.provisionKey(functionName, qualifier)) }
        removed?.cancel()
    }

    /// How far a provisioned configuration of `requested` environments has got: on this node, or in a cluster on the
    /// serving nodes together; nil when none holds any for it.
    public func provisionedStatus(functionName: String, qualifier: String, requested: Int) async -> ProvisionedConcurrencyStatus? {
        if let placement = placement.withLock({ $0 }) {
            return await placement.status(functionName: functionName, qualifier: qualifier, requested: requested)
        }
        return localProvisionedStatus(functionName: functionName, qualifier: qualifier)
    }

    func localProvisionedStatus(functionName: String, qualifier: String) -> ProvisionedConcurrencyStatus? {
        provisioned.withLock { $0[Self.provisionKey(functionName, qualifier)] }?.status
    }

    /// What this node keeps of each provisioned configuration, as its heartbeat reports it.
    public var provisionedHere: [ProvisionedShare] {
        provisioned.withLock { Array($0.values) }.map { allocation in
            let status = allocation.status
            return ProvisionedShare(functionName: allocation.functionName, qualifier: allocation.qualifier, allocated: status.allocated,
                                    failure: status.phase == .failed ? status.reason : nil)
        }.sorted { ($0.functionName, $0.qualifier) < ($1.functionName, $1.qualifier) }
    }
}
