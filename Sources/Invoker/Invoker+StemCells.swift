import CSandboxSupport
import Catalog
import Dispatch
import Foundation
import FunctionLogs
import FunctionNetwork
import Logging
import NIOCore
import Sandbox

/// Starts stem cells: what `StemCellPool` calls to make one.
struct StemCellMaker: Sendable {
    let host: EnvironmentHost
    let queue: DispatchQueue
    /// Longest wait for a cell's runtime to start and import its client.
    static let startTimeout: Duration = .seconds(10)

    /// Waits for the runtime's "R" (it has started and waits for its function); throws when it exits or times out.
    static func awaitReady(_ socket: Int32, timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw SandboxError.launchFailed("the stem cell's runtime did not start within \(timeout)") }
            var pfd = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ms = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            let ready = poll(&pfd, 1, ms)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            var byte: UInt8 = 0
            let n = read(socket, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1, byte == UInt8(ascii: "R") else { throw SandboxError.launchFailed("the stem cell's runtime exited while starting") }
            return
        }
    }

    /// Memory limit of a cell until specialised: the least any function gets, so a cell can never hold more.
    static let memoryMB = 128

    /// No cell is started while the host has less memory available than this: a twentieth of its memory, at least
    /// 256 MiB (idle cells are charged 6–8 MiB each; functions need the memory more than spares do).
    static func memoryFloorBytes(total: Int? = HostMemory.totalBytes()) -> Int {
        max(256 << 20, (total ?? 0) / 20)
    }

    func make(_ runtime: String) async throws -> StemCell {
        let id = Invoker.environmentId()
        // Before the launch: a file replaced while the cell starts leaves it stale, never wrongly fresh.
        let origin = host.stemCellOrigin(runtime: runtime) ?? ""
        let resources = try await host.reserveResources(environmentId: id, memoryMB: Self.memoryMB)
        let (cgroups, network, releaseNetwork) = (resources.cgroups, resources.network, resources.releaseNetwork)
        // Nobody waits for a cell while it starts: it yields to the environments that are running (a cold start's init).
        cgroups?.setCPUPriority(.background)
        let launched: (LaunchedSandbox, Int32, Int?)
        do {
            let spec = try host.stemCellSpecification(runtime: runtime, cgroups: cgroups, networkNamespace: network?.path)
            let launcher = host.launcher
            launched = try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    continuation.resume(with: Result {
                        // The runtime's stdin is a socket: it says "R" when it waits, and reads its function there.
                        var pair: [Int32] = [-1, -1]
                        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
                            throw SandboxError.launchFailed("socketpair: \(String(cString: strerror(errno)))")
                        }
                        defer { close(pair[0]) }
                        let sandbox: LaunchedSandbox
                        do {
                            sandbox = try launcher.launch(spec, stdin: pair[0])
                            try Self.awaitReady(pair[1], timeout: Self.startTimeout)
                        } catch {
                            close(pair[1])
                            throw error
                        }
                        return (sandbox, pair[1], spec.endpointPort)
                    })
                }
            }
        } catch {
            // A launcher that started but whose runtime never said it was ready goes with its cgroup.
            cgroups?.killAll()
            await resources.release()
            throw error
        }
        let cell = StemCell(id: id, runtime: runtime, origin: origin, sandbox: launched.0, cgroups: cgroups, network: network,
                            endpointPort: launched.2, stdin: launched.1, releaseNetwork: releaseNetwork)
        ProcessReaper.shared.watch(launched.0.pid) { status in cell.exit.deliver(status) }
        return cell
    }
}

extension Invoker {
    /// Starts filling the stem cell pools of this host's runtimes (once the platform's endpoint is known: a cell's
    /// endpoint listener is made at its start).
    public func startStemCells() {
        for (runtime, fillAtStart) in host.stemCellRuntimes where fillAtStart { stemCells.warm(runtime) }
    }

    /// Stem cells per runtime: ready, starting, and the pool's hits and misses (`/metrics`, benchmarks, tests).
    public var stemCellCounts: [String: (ready: Int, starting: Int, target: Int, hits: Int, misses: Int, heldForMemory: Bool,
                                          replaced: Int)] {
        stemCells.counts.mapValues { ($0.ready, $0.starting, $0.target, $0.hits, $0.misses, $0.heldForMemory, $0.replaced) }
    }

    /// Makes `cell` an environment of `function`: its memory limit, the function's code, layers and `/tmp` attached
    /// in its mount namespace, the function's environment handed to its waiting runtime, and the Runtime API served.
    /// Nil when the cell could not be specialised (it is discarded; the caller starts the classic way).
    func specialise(_ cell: StemCell, function: FunctionDefinition, version: String, pool: EnvironmentPool, provisioned: Bool,
                    started: ContinuousClock.Instant) async throws -> ExecutionEnvironment? {
        var phases = ColdStartPhases(path: "stem_cell", started: started)
        let id = cell.id
        let logGroup = LogNames.group(function: function.name, configured: function.logGroup)
        let logStream = LogNames.stream(version: version, environmentId: id)
        do {
            // A cell is made with the least memory any function gets (Lambda's default): a function of that size keeps
            // the limits the cell already has.
            if function.memorySize != StemCellMaker.memoryMB { try cell.cgroups?.applyLimits(memoryMB: function.memorySize) }
            cell.cgroups?.setCPUPriority(.normal)
        } catch {
            logger.warning("setting a stem cell's limits failed", metadata: ["error": "\(error)"])
            cell.discard()
            return nil
        }
        phases.mark("cgroups")
        let spec: SandboxSpec
        do {
            spec = withXRayDaemon(try host.specification(for: function, version: version, environmentId: id, logGroup: logGroup,
                                                         logStream: logStream, cgroups: cell.cgroups,
                                                         initializationType: provisioned ? "provisioned-concurrency" : "on-demand",
                                                         networkNamespace: cell.network?.path))
        } catch {
            // The function's own fault (or its code's): the cold path reports it as it always has.
            cell.discard()
            return nil
        }
        guard spec.endpointPort == cell.endpointPort,
              let code = spec.binds.last(where: { $0.destination == "/var/task" })?.source,
              let layers = spec.binds.last(where: { $0.destination == "/opt" })?.source else {
            cell.discard()
            return nil
        }
        phases.mark("code")
        // The launcher attaches the code while the Runtime API is set up here, and the runtime takes its environment
        // meanwhile; the function's init begins once all three are done (`go`).
        let queue = launchQueue
        async let mounted: Duration = withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    let start = ContinuousClock.now
                    try cell.deliverEnvironment(spec.environment, workdir: spec.workdir)
                    try cell.sandbox.specialise(code: code, layers: layers, tmpSizeMB: spec.tmpSizeMB)
                    return ContinuousClock.now - start
                })
            }
        }
        let env: ExecutionEnvironment
        do {
            env = try await attachedEnvironment(
                id: id, sandbox: cell.sandbox, cgroups: cell.cgroups, exitRelay: cell.exit, function: function, version: version,
                logGroup: logGroup, logStream: logStream, provisioned: provisioned, started: started, phases: phases, pool: pool,
                releaseNetwork: cell.releaseNetwork)
        } catch {
            _ = try? await mounted
            throw error
        }
        do {
            var specialised = ColdStartPhases(path: "stem_cell", started: started)
            specialised.append("specialise", try await mounted)
            metrics.record(specialised)
        } catch {
            logger.warning("specialising a stem cell failed", metadata: ["error": "\(error)", "function": "\(function.name)"])
            env.terminate()
            return nil
        }
        // Only now may the function's init begin: its Runtime API, output and exit are watched, its code is there.
        do {
            try cell.go()
        } catch {
            logger.warning("handing a stem cell its function failed", metadata: ["error": "\(error)", "function": "\(function.name)"])
            env.terminate()
            return nil
        }
        if !pool.add(env) {
            logger.debug("environment started for a retired revision", metadata: ["function": "\(function.name)"])
        }
        return env
    }
}
