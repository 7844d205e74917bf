import AWSProtocol
import Catalog
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// What a node keeps of one provisioned-concurrency configuration, as its heartbeat reports it (and as the serving
/// nodes' reports are read back for the configuration's status).
public struct ProvisionedShare: Sendable, Equatable {
    public var functionName: String
    public var qualifier: String
    /// The environments initialised and alive.
    public var allocated: Int
    /// Why bringing one up failed, while fewer than the node's share are alive.
    public var failure: String?

    public init(functionName: String, qualifier: String, allocated: Int, failure: String? = nil) {
        self.functionName = functionName
        self.qualifier = qualifier
        self.allocated = allocated
        self.failure = failure
    }
}

/// Provisioned concurrency in a cluster: each configuration's environments are split between the serving nodes. Every
/// environment is one unit of work (`<function>:<qualifier>#<n>`, n from 0 to the requested count) claimed under a
/// lease from the shared store (`WorkLeaseStore`), so the units spread evenly over the nodes, a node joining takes its
/// share and a node leaving (it hands its units back) or dying (its leases lapse) leaves its share to the others. Unit
/// n runs the version that the n-th environment of the whole configuration runs (an alias's weights apply to the
/// configuration, not to each node's share). A node places at start, every `interval`, and at once when woken: a
/// configuration or an alias changed (through this node's API, or another node's through the change feed).
///
/// A configuration's status is the sum of what the serving nodes report at their heartbeats (`reports`).
final class ProvisionedPlacement: Service, Sendable {
    static let workKind = "provisioned-concurrency"

    let invoker: Invoker
    let catalog: FunctionCatalog
    let leases: any WorkLeaseStore
    let node: String
    let interval: Duration
    let leaseDuration: TimeInterval
    /// What every serving node reports keeping (this one included).
    let reports: @Sendable () async throws -> [ProvisionedShare]
    let logger: Logger
    private let signals = WakeSignals()

    init(invoker: Invoker, catalog: FunctionCatalog, leases: any WorkLeaseStore, node: String, interval: Duration,
         leaseDuration: TimeInterval, reports: @escaping @Sendable () async throws -> [ProvisionedShare], logger: Logger) {
        self.invoker = invoker
        self.catalog = catalog
        self.leases = leases
        self.node = node
        self.interval = interval
        self.leaseDuration = leaseDuration
        self.reports = reports
        self.logger = logger
    }

    /// Places again now rather than at the next interval.
    func wake() {
        signals.signal("")
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let seen = signals.generation(of: "")
            await place()
            try? await cancelWhenGracefulShutdown { await self.signals.wait(on: "", since: seen, timeout: self.interval) }
        }
        // Leaving: the others take this node's units at their next placement (its environments end with the invoker).
        let (leases, node) = (self.leases, self.node)
        _ = await firstAnswer({ try? await leases.releaseWork(kind: Self.workKind, node: node) }, {
            try? await Task.sleep(for: .seconds(2))
        })
    }

    /// Claims this node's units and keeps exactly their environments.
    func place() async {
        do {
            let configs = try await catalog.store.allProvisionedConcurrencyConfigs()
            let now = Date()
            let mine = try await leases.claimWork(kind: Self.workKind, items: Self.units(of: configs), node: node, now: now,
                                                  until: now.addingTimeInterval(leaseDuration))
            let held = Self.heldCounts(mine)
            var kept = Set<String>()
            for config in configs {
                let units = held[Self.key(config.functionName, config.qualifier)] ?? []
                guard !units.isEmpty else { continue }
                kept.insert(Invoker.provisionKey(config.functionName, config.qualifier))
                do {
                    let whole = try await catalog.provisionedTarget(functionName: config.functionName, qualifier: config.qualifier,
                                                                    count: config.requested)
                    keep(Self.share(of: whole, units: units))
                } catch {
                    logger.warning("provisioned concurrency not placed", metadata: [
                        "function": "\(config.functionName)", "qualifier": "\(config.qualifier)", "error": "\(error)"])
                }
            }
            let local = invoker.provisioned.withLock { Array($0.values) }
            for allocation in local where !kept.contains(Invoker.provisionKey(allocation.functionName, allocation.qualifier)) {
                invoker.unprovisionHere(functionName: allocation.functionName, qualifier: allocation.qualifier)
            }
        } catch {
            logger.warning("placing provisioned concurrency failed", metadata: ["error": "\(error)"])
        }
    }

    /// Provisions `target` here unless this node already keeps exactly that.
    private func keep(_ target: FunctionCatalog.ProvisionedTarget) {
        let current = invoker.provisioned.withLock { $0[Invoker.provisionKey(target.functionName, target.qualifier)] }
        let wanted = target.allocations.map { Share(version: $0.definition.version, count: $0.count) }
        if let current, !current.isCancelled, current.shares.map({ Share(version: $0.version, count: $0.count) }) == wanted {
            return
        }
        invoker.provisionHere(target)
    }

    /// The cluster-wide status of a configuration of `requested` environments: what the serving nodes keep together.
    func status(functionName: String, qualifier: String, requested: Int) async -> ProvisionedConcurrencyStatus? {
        guard let reported = try? await reports() else {
            return invoker.localProvisionedStatus(functionName: functionName, qualifier: qualifier)
        }
        let shares = reported.filter { $0.functionName == functionName && $0.qualifier == qualifier }
        guard !shares.isEmpty else { return nil }
        let allocated = shares.reduce(0) { $0 + $1.allocated }
        if allocated < requested, let failure = shares.compactMap(\.failure).first {
            return ProvisionedConcurrencyStatus(phase: .failed, allocated: allocated, available: allocated, reason: failure)
        }
        return ProvisionedConcurrencyStatus(phase: allocated >= requested ? .ready : .inProgress, allocated: allocated,
                                            available: allocated)
    }

    // MARK: Units

    private struct Share: Equatable {
        var version: String
        var count: Int
    }

    static func key(_ functionName: String, _ qualifier: String) -> String {
        functionName + ":" + qualifier
    }

    /// One unit per environment of every configuration (function names and qualifiers hold neither `:` nor `#`).
    static func units(of configs: [ProvisionedConcurrencyConfig]) -> Set<String> {
        Set(configs.flatMap { config in
            (0..<max(0, config.requested)).map { key(config.functionName, config.qualifier) + "#\($0)" }
        })
    }

    /// The unit numbers held, by configuration key.
    static func heldCounts(_ units: Set<String>) -> [String: [Int]] {
        var held: [String: [Int]] = [:]
        for unit in units {
            guard let hash = unit.lastIndex(of: "#"), let number = Int(unit[unit.index(after: hash)...]) else { continue }
            held[String(unit[..<hash]), default: []].append(number)
        }
        return held.mapValues { $0.sorted() }
    }

    /// The part of `whole` that units `units` run: unit n runs the version of the n-th environment of `whole` (its
    /// allocations in order).
    static func share(of whole: FunctionCatalog.ProvisionedTarget, units: [Int]) -> FunctionCatalog.ProvisionedTarget {
        var versionOfUnit: [Int] = []
        for (index, allocation) in whole.allocations.enumerated() {
            versionOfUnit += Array(repeating: index, count: allocation.count)
        }
        var counts = Array(repeating: 0, count: whole.allocations.count)
        for unit in units where unit < versionOfUnit.count {
            counts[versionOfUnit[unit]] += 1
        }
        var part = whole
        part.allocations = zip(whole.allocations, counts).compactMap { allocation, count in
            count > 0 ? (allocation.definition, count) : nil
        }
        return part
    }
}

extension Invoker {
    /// In a cluster: provisioned configurations are split between the nodes (`ProvisionedPlacement`) from now on;
    /// `reports` reads what every serving node keeps. Run the returned service while the invoker runs.
    public func placeProvisionedAcrossNodes(catalog: FunctionCatalog, leases: any WorkLeaseStore, node: String,
                                            interval: Duration = .seconds(5), leaseDuration: TimeInterval = 15,
                                            reports: @escaping @Sendable () async throws -> [ProvisionedShare]) -> any Service {
        let placement = ProvisionedPlacement(invoker: self, catalog: catalog, leases: leases, node: node, interval: interval,
                                             leaseDuration: leaseDuration, reports: reports, logger: logger)
        self.placement.withLock { $0 = placement }
        return placement
    }

    /// A provisioned configuration or an alias changed (on another node): in a cluster, this node places again now.
    public func provisionedConfigurationsChanged() {
        placement.withLock { $0 }?.wake()
    }
}
