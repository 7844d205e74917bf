import Catalog
import Dispatch
import Foundation
import FunctionNetwork
import FunctionLogs
import Logging
import NIOCore
import NIOPosix
import PlatformMetrics
import RuntimeAPI
import Sandbox
import ServiceLifecycle
import Synchronization

/// Runs synchronous invocations in execution environments: finds a warm one or starts one, within the
/// account's concurrency limit, and turns what happened into Lambda's invoke result.
public final class Invoker: Sendable {
    public struct Settings: Sendable {
        public var maxConcurrency: Int
        /// Idle environments are shut down after this long.
        public var idleTimeout: Duration
        /// Idle environments are frozen after this long; nil never freezes.
        public var freezeAfter: Duration?
        /// Most stem cells kept ready per runtime (`StemCellPool`); 0 starts every environment the classic way.
        public var stemCells: Int
        /// Lambda's limit on an on-demand environment's init (10 s). An invocation whose environment's init passes it
        /// is given a new environment whose init may take the function's timeout (AWS's "suppressed init"); provisioned
        /// environments and SnapStart templates get the larger of 130 s and the function's timeout, as on AWS.
        public var initTimeout: Duration

        public init(maxConcurrency: Int, idleTimeout: Duration = .seconds(600), freezeAfter: Duration? = .milliseconds(50),
                    stemCells: Int = 4, initTimeout: Duration = .seconds(10)) {
            self.maxConcurrency = maxConcurrency
            self.idleTimeout = idleTimeout
            self.freezeAfter = freezeAfter
            self.stemCells = stemCells
            self.initTimeout = initTimeout
        }
    }

    public let host: EnvironmentHost
    public let settings: Settings
    let logs: LogWriter
    let logger: Logger
    let concurrency: ConcurrencyPools
    let group: any EventLoopGroup
    let pools = Mutex<[String: EnvironmentPool]>([:])
    /// Provisioned concurrency by function and qualifier.
    let provisioned = Mutex<[String: ProvisionedAllocation]>([:])
    /// In a cluster: who decides this node's share of each provisioned configuration (nil: all of every one).
    let placement = Mutex<ProvisionedPlacement?>(nil)
    /// Launches block on the launcher's handshake: they run here, off the cooperative pool.
    let launchQueue: DispatchQueue
    /// Pre-started environments per runtime, specialised at a cold start.
    let stemCells: StemCellPool<StemCell>
    /// SnapStart templates of published versions.
    let snapStart = SnapStartTemplates<SnapStartTemplate>()
    let metrics: InvokerMetrics
    /// Who gets sampled invocations' facts, and the X-Ray daemon environments reach.
    let tracing = InvocationTracing()

    public init(host: EnvironmentHost, settings: Settings, logs: LogWriter, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, metrics: PlatformMetrics = PlatformMetrics()) {
        self.host = host
        self.settings = settings
        self.logs = logs
        self.logger = logger
        self.concurrency = ConcurrencyPools(accountLimit: settings.maxConcurrency)
        self.group = group
        self.metrics = InvokerMetrics(metrics)
        let queue = DispatchQueue(label: "swiftlet.launch", attributes: .concurrent)
        launchQueue = queue
        let maker = StemCellMaker(host: host, queue: queue)
        stemCells = StemCellPool(configuration: .init(maximum: host.isSandboxed ? settings.stemCells : 0,
                                                      memoryFloorBytes: StemCellMaker.memoryFloorBytes()),
                                 factory: { try await maker.make($0) },
                                 onFailure: { [logger] runtime, error in
                                     logger.warning("starting a stem cell failed", metadata: ["runtime": "\(runtime)", "error": "\(error)"])
                                 })
    }

    /// Runs `request` and returns what the caller gets back.
    public func invoke(_ request: InvocationRequest) async throws -> InvocationResult {
        let function = request.function
        let received = ContinuousClock.now
        let limiter = try await acquireSlot(for: request)
        defer { limiter.release() }
        let meter = startMeasuring(request)
        let pool = self.pool(for: function, version: request.version)
        let trace = Self.traceContext(continuing: request.traceId, active: function.tracingMode == "Active")

        let env: ExecutionEnvironment
        do {
            env = try await environment(for: request, pool: pool)
        } catch {
            meter.failedToStart(error)
            if trace.sampled { recordTrace(trace, request, received: received, env: nil, completion: nil, failed: true) }
            guard let error = error as? InvokerError else { throw error }
            return failedStart(request, error: error)
        }
        reportProvisionedUse(request, env: env, meter: meter)
        let (ran, completion) = await run(runtimeInvocation(request, trace: trace), in: env, request: request, pool: pool)
        meter.finished(in: ran, outcome: completion.outcome)
        release(ran, to: pool, after: completion)
        if trace.sampled { recordTrace(trace, request, received: received, env: ran, completion: completion) }
        return InvocationResult(
            payload: completion.outcome.payload,
            functionError: completion.outcome.isError ? "Unhandled" : nil,
            executedVersion: request.version,
            logLines: completion.lines)
    }

    /// Set while the invoker starts the environment that retries a timed-out init within an invocation: that init may
    /// take the function's timeout instead of `Settings.initTimeout`.
    @TaskLocal static var suppressedInit = false

    /// The longest init of an environment: Lambda's 10 s (`Settings.initTimeout`) on demand, the function's timeout
    /// when a timed-out init is tried again within the invocation, and the larger of 130 s and the function's timeout
    /// for provisioned environments and SnapStart templates.
    func initTimeout(for function: FunctionDefinition, provisioned: Bool) -> Duration {
        if provisioned { return .seconds(max(130, function.timeout)) }
        return Self.suppressedInit ? .seconds(function.timeout) : settings.initTimeout
    }

    /// Runs `invocation` in `env`. When `env`'s init passed its limit before the invocation reached it, the invocation
    /// runs once more in a new environment whose init may take the function's timeout, as Lambda retries a timed-out
    /// init in the invoke phase. Returns the environment it ran in.
    func run(_ invocation: RuntimeInvocation, in env: ExecutionEnvironment, request: InvocationRequest, pool: EnvironmentPool,
             sink: InvocationSink? = nil) async -> (ExecutionEnvironment, EnvironmentCompletion) {
        let completion = await env.run(invocation, timeoutSeconds: request.function.timeout, sink: sink)
        guard completion.initTimedOut else { return (env, completion) }
        logger.info("an environment's init timed out; trying it again within the invocation",
                    metadata: ["function": "\(request.function.name)", "request": "\(invocation.requestId)"])
        do {
            let retry = try await Self.$suppressedInit.withValue(true) {
                try await launch(request.function, version: request.version, pool: pool, provisioned: false)
            }
            return (retry, await retry.run(invocation, timeoutSeconds: request.function.timeout, sink: sink))
        } catch {
            return (env, completion)
        }
    }

    /// A warm environment of `pool`, or a new one.
    func environment(for request: InvocationRequest, pool: EnvironmentPool) async throws -> ExecutionEnvironment {
        if let warm = pool.takeIdle() {
            warm.claimForInvocation()
            return warm
        }
        return try await launch(request.function, version: request.version, pool: pool, provisioned: false)
    }

    /// The event as the runtime's `next` receives it.
    func runtimeInvocation(_ request: InvocationRequest, trace: InvocationTraceContext) -> RuntimeInvocation {
        RuntimeInvocation(
            requestId: request.requestId,
            payload: ByteBuffer(bytes: request.payload),
            deadlineMs: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) + Int64(request.function.timeout) * 1000,
            invokedFunctionArn: request.invokedFunctionArn,
            traceId: trace.header,
            clientContext: request.clientContext)
    }

    /// Gives the environment back for reuse after an invocation, or ends it when it cannot be reused.
    func release(_ env: ExecutionEnvironment, to pool: EnvironmentPool, after completion: EnvironmentCompletion) {
        if completion.reusable && pool.release(env) {
            env.scheduleIdle(freezeAfter: settings.freezeAfter, shutDownAfter: settings.idleTimeout)
        } else if completion.reusable {
            env.terminate()
        }
    }

    /// The pool for the function's current revision; an older revision's pool is retired.
    func pool(for function: FunctionDefinition, version: String) -> EnvironmentPool {
        let key = Self.poolKey(function.name, version)
        let (pool, retired) = pools.withLock { pools -> (EnvironmentPool, EnvironmentPool?) in
            if let existing = pools[key], existing.revisionId == function.revisionId { return (existing, nil) }
            let fresh = EnvironmentPool(functionName: function.name, version: version, revisionId: function.revisionId)
            let old = pools.updateValue(fresh, forKey: key)
            return (fresh, old)
        }
        if let retired {
            for env in retired.retire() { env.terminate() }
        }
        return pool
    }

    /// Shuts down the environments of one version of `functionName` (its code or configuration changed, or
    /// it was deleted), or with no version those of every version, and drops its provisioned concurrency.
    public func functionChanged(_ functionName: String, version: String? = nil) {
        let prefix = functionName + "\u{0}"
        let removed = pools.withLock { pools -> [EnvironmentPool] in
            let keys = pools.keys.filter { key in version.map { key == prefix + $0 } ?? key.hasPrefix(prefix) }
            return keys.compactMap { pools.removeValue(forKey: $0) }
        }
        for pool in removed {
            for env in pool.retire() { env.terminate() }
        }
        // A deleted version takes its provisioned concurrency along; `$LATEST` never has any.
        let dropped = provisioned.withLock { all -> [ProvisionedAllocation] in
            let keys = all.filter { _, allocation in
                allocation.functionName == functionName && version.map { allocation.versions.contains($0) } ?? true
            }.map(\.key)
            return keys.compactMap { all.removeValue(forKey: $0) }
        }
        for allocation in dropped { allocation.cancel() }
        for template in snapStart.retire(prefix: version.map { prefix + $0 + "\u{0}" } ?? prefix) {
            template.end()
        }
    }

    /// Makes concurrency limits cluster-wide: slots are leased from `store`, shared with the cluster's other nodes.
    /// The returned service renews the leases while the node runs (the server runs it with the others).
    public func shareConcurrency(store: any ConcurrencyLeaseStore, node: String, renewInterval: Duration = .seconds(1),
                                 leaseDuration: TimeInterval = 15) -> any Service {
        let pools = concurrency
        let cluster = ClusterConcurrency(store: store, node: node, logger: logger, renewInterval: renewInterval,
                                         leaseDuration: leaseDuration, limiters: { pools.limiters() })
        pools.share(with: cluster)
        return cluster
    }

    /// The functions the invoker holds a reservation for.
    public var reservedConcurrencyFunctions: [String] {
        concurrency.reservedFunctions
    }

    /// Sets `function`'s reserved concurrency (nil: none) and the size of the unreserved pool.
    public func setReservedConcurrency(_ function: String, to value: Int?, unreserved: Int) {
        concurrency.reserve(function, value, unreserved: unreserved)
    }

    /// Starts a new environment for `function` and waits until it is attached (not until its init is done:
    /// the invocation is delivered when the runtime first asks for one).
    func launch(_ function: FunctionDefinition, version: String, pool: EnvironmentPool, provisioned: Bool,
                classic: Bool = false) async throws -> ExecutionEnvironment {
        let started = ContinuousClock.now
        // A node of a cluster may not have the function's blobs yet: they are fetched before anything is held for it.
        do {
            try await host.code.prefetch(function)
        } catch {
            throw LambdaError.service("Could not prepare the function's code: \(error)")
        }
        if !classic, !provisioned, usesSnapStart(function, version: version),
           let env = await restore(function, version: version, pool: pool, started: started) {
            return env
        }
        if !classic, let runtime = host.stemCellRuntime(for: function) {
            if let cell = stemCells.take(runtime, origin: host.stemCellOrigin(runtime: runtime), deferRefill: true) {
                let env: ExecutionEnvironment?
                do {
                    env = try await specialise(cell, function: function, version: version, pool: pool, provisioned: provisioned,
                                               started: started)
                } catch {
                    stemCells.replenish(runtime)
                    throw error
                }
                metrics.stemCellClaim(runtime: runtime, result: env != nil ? "hit" : "failed")
                guard let env else {
                    stemCells.replenish(runtime)
                    return try await launch(function, version: version, pool: pool, provisioned: provisioned, classic: true)
                }
                // The replacement is made once this environment's init is over, not while it runs.
                Task { [stemCells] in
                    _ = await env.waitUntilInitialised()
                    stemCells.replenish(runtime)
                }
                return env
            } else {
                metrics.stemCellClaim(runtime: runtime, result: "miss")
            }
        }
        var phases = ColdStartPhases(path: "launch", started: started)
        let id = Self.environmentId()
        let logGroup = LogNames.group(function: function.name, configured: function.logGroup)
        let logStream = LogNames.stream(version: version, environmentId: id)
        let host = self.host
        let cgroups: CgroupSet?
        do {
            cgroups = try host.cgroups?.create("env-" + id)
            try cgroups?.applyLimits(memoryMB: function.memorySize)
        } catch {
            logger.error("creating the environment's cgroup failed", metadata: ["error": "\(error)"])
            throw LambdaError.service("Could not create the execution environment.")
        }
        phases.mark("cgroups")
        // A sandboxed environment joins a prepared network namespace (egress through Swiftlet's bridge).
        var network: NetworkPool.Lease?
        if host.isSandboxed, let pool = host.network {
            do {
                network = try await pool.acquire()
            } catch {
                if let cgroups { await cgroups.remove() }
                logger.error("setting up the environment's network failed", metadata: ["error": "\(error)"])
                throw LambdaError.service("Could not set up the execution environment's network.")
            }
        }
        phases.mark("network")
        let releaseNetwork: @Sendable () -> Void = { [network, pool = host.network] in if let network { pool?.release(network) } }
        let spec: SandboxSpec
        do {
            spec = withXRayDaemon(try host.specification(for: function, version: version, environmentId: id, logGroup: logGroup,
                                                         logStream: logStream, cgroups: cgroups,
                                                         initializationType: provisioned ? "provisioned-concurrency" : "on-demand",
                                                         networkNamespace: network?.path))
        } catch let error as InvokerError {
            releaseNetwork()
            if let cgroups { await cgroups.remove() }
            throw error
        } catch {
            releaseNetwork()
            if let cgroups { await cgroups.remove() }
            logger.error("preparing the function's code failed", metadata: ["error": "\(error)"])
            // A CodePreparationError's description names no host path; anything else stays in the log.
            let detail = (error as? CodePreparationError).map { ": \($0)" } ?? "."
            throw LambdaError.service("Could not prepare the function's code\(detail)")
        }
        phases.mark("code")
        let launched: LaunchedSandbox
        do {
            launched = try await withCheckedThrowingContinuation { continuation in
                launchQueue.async {
                    continuation.resume(with: Result { try host.launcher.launch(spec) })
                }
            }
        } catch {
            releaseNetwork()
            if let cgroups { await cgroups.remove() }
            logger.error("launching the environment failed", metadata: ["error": "\(error)"])
            throw LambdaError.service("Could not start the execution environment.")
        }
        phases.mark("sandbox")
        let env = try await attachedEnvironment(
            id: id, sandbox: launched, cgroups: cgroups, exitRelay: nil, function: function, version: version, logGroup: logGroup,
            logStream: logStream, provisioned: provisioned, started: started, phases: phases, pool: pool, releaseNetwork: releaseNetwork)
        if !pool.add(env) {
            // Retired while starting: this invocation still runs in it, nobody reuses it.
            logger.debug("environment started for a retired revision", metadata: ["function": "\(function.name)"])
        }
        return env
    }

    /// An environment over a started sandbox (launched for it, or a specialised stem cell) with its Runtime API, output
    /// and exit watched; when attaching fails, what it holds is given back and `LambdaError.service` thrown.
    func attachedEnvironment(id: String, sandbox: LaunchedSandbox, cgroups: CgroupSet?, exitRelay: ExitRelay?,
                             function: FunctionDefinition, version: String, logGroup: String, logStream: String, provisioned: Bool,
                             restored: Bool = false, started: ContinuousClock.Instant, phases: ColdStartPhases, pool: EnvironmentPool,
                             releaseNetwork: @escaping @Sendable () -> Void) async throws -> ExecutionEnvironment {
        let settings = EnvironmentSettings(
            functionName: function.name, version: version, memorySizeMB: function.memorySize,
            timeoutSeconds: function.timeout, logGroup: logGroup, logStream: logStream,
            initTimeout: initTimeout(for: function, provisioned: provisioned), suppressedInit: !provisioned && Self.suppressedInit,
            provisioned: provisioned,
            systemLogs: SystemLogFormat(logFormat: function.logFormat, systemLogLevel: function.systemLogLevel), runtime: function.runtime,
            restored: restored)
        let env = ExecutionEnvironment(
            id: id, loop: group.next(), sandbox: sandbox, cgroups: cgroups, settings: settings, logs: logs,
            createdAt: started, coldStart: phases, exitRelay: exitRelay, onDeath: { [weak pool] env in
                pool?.remove(env)
                releaseNetwork()
            })
        do {
            try await env.attach(endpointTarget: host.platform?.endpoint.flatMap { try? SocketAddress(ipAddress: $0.host, port: $0.port) },
                                 xrayDaemon: xrayDaemonTarget().map { target in
                                     (target, { [logger] error in
                                         logger.warning("relaying the X-Ray daemon into the environment failed",
                                                        metadata: ["error": "\(error)"])
                                     })
                                 })
        } catch {
            env.terminate()
            // The reaper may not watch it yet, so its death may never be noticed: give back what it holds now
            // (releasing the network twice is harmless).
            releaseNetwork()
            logger.error("serving the Runtime API failed", metadata: ["error": "\(error)"])
            throw LambdaError.service("Could not serve the Runtime API of the execution environment.")
        }
        return env
    }

    /// The answer for an invocation whose environment could not start because of the function itself.
    func failedStart(_ request: InvocationRequest, error: InvokerError) -> InvocationResult {
        let type: String
        switch error {
        case .invalidEntrypoint: type = "Runtime.InvalidEntrypoint"
        case .runtimeUnavailable: type = "Runtime.Unavailable"
        }
        let message = "RequestId: \(request.requestId) Error: \(error)"
        let lines = [
            PlatformLines.start(requestId: request.requestId, version: request.version),
            message, type,
            PlatformLines.end(requestId: request.requestId),
            PlatformLines.report(requestId: request.requestId, durationMs: 0, memorySizeMB: request.function.memorySize,
                                 maxMemoryUsedMB: 0, initDurationMs: nil),
        ]
        let group = LogNames.group(function: request.function.name, configured: request.function.logGroup)
        let stream = LogNames.stream(version: request.version, environmentId: Self.environmentId())
        let now = LogNames.nowMs()
        logs.append(lines.map { LogEvent(group: group, stream: stream, timestamp: now, message: $0) })
        return InvocationResult(payload: PlatformErrorBody(errorMessage: message, errorType: type).encoded,
                                functionError: "Unhandled", executedVersion: request.version, logLines: lines)
    }

    /// Kills every environment and waits for them to go.
    public func shutdown() async {
        let cells = stemCells.close()
        for cell in cells { cell.terminate() }
        let templates = snapStart.retireAll()
        for template in templates { template.end() }
        for allocation in provisioned.withLock({ all in defer { all.removeAll() }; return Array(all.values) }) {
            allocation.cancel()
        }
        let all = pools.withLock { pools -> [EnvironmentPool] in
            let all = Array(pools.values)
            pools.removeAll()
            return all
        }
        var envs: [ExecutionEnvironment] = []
        for pool in all {
            _ = pool.retire()
            envs += pool.environments
        }
        for env in envs { env.terminate() }
        for env in envs { await env.waitForExit() }
        for template in templates { await template.waitForExit() }
        for cell in cells { await cell.waitForExit() }
        // Cells that were starting end as they arrive (the pool is closed); wait for them to be handed over.
        let deadline = ContinuousClock.now + .seconds(10)
        while stemCells.starting > 0, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
    }

    /// Figures for `/health` and benchmarks.
    public var environmentCounts: (total: Int, idle: Int, frozen: Int) {
        let all = pools.withLock { Array($0.values) }
        var total = 0, idle = 0, frozen = 0
        for pool in all {
            let envs = pool.environments
            total += envs.count
            idle += pool.idleCount
            frozen += envs.filter(\.isFrozen).count
        }
        return (total, idle, frozen)
    }

    /// Live environments of every version of `function`.
    public func environmentCount(of function: String) -> Int {
        let prefix = function + "\u{0}"
        let matching = pools.withLock { $0.filter { $0.key.hasPrefix(prefix) }.map(\.value) }
        return matching.reduce(0) { $0 + $1.environments.count }
    }

    static func environmentId() -> String {
        (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "").lowercased().prefix(32).description
    }

    /// The X-Ray trace header an invocation runs under (`Lambda-Runtime-Trace-Id`, `_X_AMZN_TRACE_ID`):
    /// `Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>`. A valid `incoming` header's `Root` is kept and
    /// its `Sampled=0|1` decision honoured; without one (absent, `?`), or without a valid incoming header, the
    /// function's tracing mode decides: sampled when `active`. `Parent` is always new: this invocation's segment.
    static func traceHeader(continuing incoming: String? = nil, active: Bool = false) -> String {
        traceContext(continuing: incoming, active: active).header
    }

    /// A new trace id: `1-<8 hex seconds>-<24 random hex>`.
    static func newTraceRoot() -> String {
        let time = hex(UInt64(UInt32(Date().timeIntervalSince1970)), digits: 8)
        let random = hex(UInt64.random(in: 0...UInt64.max), digits: 16) + hex(UInt64.random(in: 0...UInt64.max), digits: 8)
        return "1-\(time)-\(random)"
    }

    /// The `Root` and sampling decision (nil when absent or `?`) of an `X-Amzn-Trace-Id` header; nil unless it has a
    /// well-formed `Root=1-<8 hex>-<24 hex>`. Keys are matched case-insensitively, fields split on `;`.
    static func parseTraceHeader(_ header: String) -> (root: String, sampled: Bool?)? {
        var root: String?
        var sampled: Bool?
        for field in header.split(separator: ";") {
            let pair = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            switch key {
            case "root": root = value
            case "sampled": sampled = value == "1" ? true : value == "0" ? false : nil
            default: continue
            }
        }
        guard let root, isTraceRoot(root) else { return nil }
        return (root, sampled)
    }

    /// Whether `root` is `1-<8 hex>-<24 hex>`.
    static func isTraceRoot(_ root: String) -> Bool {
        let parts = root.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "1", parts[1].count == 8, parts[2].count == 24 else { return false }
        return parts[1].allSatisfy(\.isHexDigit) && parts[2].allSatisfy(\.isHexDigit)
    }

    /// The low `digits` hex digits of `value`, zero-padded.
    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        if text.count >= digits { return String(text.suffix(digits)) }
        return String(repeating: "0", count: digits - text.count) + text
    }
}
