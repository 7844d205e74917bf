import CSandboxSupport
import Catalog
import Dispatch
import Foundation
import FunctionLogs
import FunctionNetwork
import Sandbox

extension Invoker {
    /// Whether `version` of `function` starts its environments from a SnapStart template: a published version of a
    /// function with `SnapStart.ApplyOn: PublishedVersions`, on a sandboxed host (a copy needs namespaces).
    func usesSnapStart(_ function: FunctionDefinition, version: String) -> Bool {
        host.isSandboxed && function.snapStart == "PublishedVersions" && version != "$LATEST"
            && function.runtime.map(RuntimeRegistry.supportsSnapStart) == true
    }

    /// Makes the template of a version now (PublishVersion of a SnapStart function), so that its first invoke
    /// already starts from a copy.
    public func prepareSnapStart(_ function: FunctionDefinition) {
        let version = function.version
        guard usesSnapStart(function, version: version) else { return }
        Task { _ = await snapStartTemplate(function, version: version) }
    }

    func snapStartTemplate(_ function: FunctionDefinition, version: String) async -> SnapStartTemplate? {
        let key = SnapStartTemplate.key(function.name, version, revision: function.revisionId)
        return await snapStart.template(key) { [self] in
            do {
                return try await makeTemplate(function, version: version, key: key)
            } catch {
                logger.warning("making a SnapStart template failed", metadata: [
                    "function": "\(function.name)", "version": "\(version)", "error": "\(error)"])
                return nil
            }
        }
    }

    /// An environment of `version` copied from its template; nil when there is no template or the copy failed (the
    /// caller then starts the classic way).
    func restore(_ function: FunctionDefinition, version: String, pool: EnvironmentPool,
                 started: ContinuousClock.Instant) async -> ExecutionEnvironment? {
        // A template whose runtime died a moment ago may not be known to be gone yet: its copy fails at once, and one
        // more try makes a new template.
        for attempt in 1...2 {
            guard let template = await snapStartTemplate(function, version: version) else {
                metrics.snapStartRestore(result: "no_template")
                return nil
            }
            do {
                return try await copy(template, function: function, version: version, pool: pool, started: started)
            } catch {
                logger.warning("restoring from a SnapStart template failed", metadata: [
                    "function": "\(function.name)", "version": "\(version)", "attempt": "\(attempt)", "error": "\(error)"])
                template.markGone()
                snapStart.forget(SnapStartTemplate.key(function.name, version, revision: function.revisionId), template)
            }
        }
        metrics.snapStartRestore(result: "failed")
        return nil
    }

    /// Starts the template: a classic environment whose runtime stops after init (`spec.template`) and says "T";
    /// watched afterwards so that a template whose runtime died is replaced.
    private func makeTemplate(_ function: FunctionDefinition, version: String, key: String) async throws -> SnapStartTemplate {
        let started = ContinuousClock.now
        try await host.code.prefetch(function)
        let id = Self.environmentId()
        let logGroup = LogNames.group(function: function.name, configured: function.logGroup)
        let logStream = LogNames.stream(version: version, environmentId: id)
        let resources = try await host.reserveResources(environmentId: id, memoryMB: function.memorySize)
        let (cgroups, network, releaseNetwork) = (resources.cgroups, resources.network, resources.releaseNetwork)
        var spec: SandboxSpec
        let launched: LaunchedSandbox
        do {
            spec = withXRayDaemon(try host.specification(for: function, version: version, environmentId: id, logGroup: logGroup,
                                                         logStream: logStream, cgroups: cgroups, initializationType: "snap-start",
                                                         networkNamespace: network?.path))
            spec.template = true
            let launcher = host.launcher
            let ready = spec
            launched = try await withCheckedThrowingContinuation { continuation in
                launchQueue.async { continuation.resume(with: Result { try launcher.launch(ready) }) }
            }
        } catch {
            await resources.release()
            throw error
        }
        let pool = EnvironmentPool(functionName: function.name, version: version, revisionId: function.revisionId)
        let env = try await attachedEnvironment(
            id: id, sandbox: launched, cgroups: cgroups, exitRelay: nil, function: function, version: version, logGroup: logGroup,
            logStream: logStream, provisioned: true, started: started, phases: ColdStartPhases(path: "snap_start", started: started),
            pool: pool, releaseNetwork: releaseNetwork)
        // The launcher's messages are read from a descriptor of this reader's own (see `templateMessage`).
        let watch = fcntl(launched.control, F_DUPFD_CLOEXEC, 0)
        let answer: String? = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: LaunchedSandbox.templateMessage(watch, timeout: .seconds(Int64(max(10, function.timeout)))))
            }
        }
        guard answer == "T" else {
            close(watch)
            env.terminate()
            throw SandboxError.launchFailed("the template's runtime did not finish its init")
        }
        env.templateReady()
        let template = SnapStartTemplate(environment: env, sandbox: launched, uid: spec.uid, gid: spec.gid)
        metrics.snapStartTemplateReady(ContinuousClock.now - started)
        // The launcher says "X" once the runtime is gone; a thread of its own waits for that.
        let templates: SnapStartTemplates<SnapStartTemplate> = snapStart
        let thread = Thread { [logger] in
            while let message = LaunchedSandbox.templateMessage(watch, timeout: nil), message != "X" {}
            close(watch)
            template.markGone()
            templates.forget(key, template)
            logger.info("a SnapStart template's runtime is gone", metadata: ["function": "\(function.name)", "version": "\(version)"])
        }
        thread.name = "swiftlet.snapstart-template"
        thread.start()
        refillStandby(template, function: function, version: version)
        return template
    }

    /// Starts a copy of `template` up to where its runtime waits for its environment: its launcher has made its
    /// namespaces, cgroups, network and Runtime API listeners. Used at once by a cold start, or kept on standby.
    /// Also returns the function's environment as of now, for a cold start that uses the copy at once.
    private func startCopy(_ template: SnapStartTemplate, function: FunctionDefinition, version: String) async throws
        -> (copy: StemCell, environment: [(String, String)]) {
        let id = Self.environmentId()
        let logGroup = LogNames.group(function: function.name, configured: function.logGroup)
        let logStream = LogNames.stream(version: version, environmentId: id)
        let resources = try await host.reserveResources(environmentId: id, memoryMB: function.memorySize)
        let (cgroups, network, releaseNetwork) = (resources.cgroups, resources.network, resources.releaseNetwork)
        let launched: LaunchedSandbox
        let endpointPort: Int?
        let environment: [(String, String)]
        do {
            var spec = withXRayDaemon(try host.specification(for: function, version: version, environmentId: id, logGroup: logGroup,
                                                             logStream: logStream, cgroups: cgroups,
                                                             initializationType: "snap-start", networkNamespace: network?.path))
            spec.copy = true
            spec.uid = template.uid
            spec.gid = template.gid
            endpointPort = spec.endpointPort
            environment = spec.environment
            let launcher = host.launcher
            let sandbox = template.sandbox
            let ready = spec
            let queue = launchQueue
            launched = try await template.making.holding {
                try await withCheckedThrowingContinuation { continuation in
                    queue.async {
                        continuation.resume(with: Result {
                            let channel = try sandbox.requestCopy()
                            defer { close(channel) }
                            return try launcher.launch(ready, stdin: channel)
                        })
                    }
                }
            }
        } catch {
            // A copy that started and failed its checks goes with its cgroup.
            cgroups?.killAll()
            await resources.release()
            throw error
        }
        let copy = StemCell(id: id, runtime: "snap-start", origin: "", sandbox: launched, cgroups: cgroups, network: network,
                            endpointPort: endpointPort, stdin: -1, releaseNetwork: releaseNetwork)
        ProcessReaper.shared.watch(launched.pid) { status in copy.exit.deliver(status) }
        return (copy, environment)
    }

    /// Makes the template's standby copy, unless one waits or is being made.
    func refillStandby(_ template: SnapStartTemplate, function: FunctionDefinition, version: String) {
        guard template.beginRefill() else { return }
        Task {
            do {
                template.refilled(try await startCopy(template, function: function, version: version).copy)
            } catch {
                template.refilled(nil)
                logger.debug("making a standby SnapStart copy failed", metadata: ["function": "\(function.name)", "error": "\(error)"])
            }
        }
    }

    /// A new environment of `version`: the template's standby copy, or a copy started now, attached (its Runtime API
    /// served, its output and exit watched) and then given the function's environment as of now.
    private func copy(_ template: SnapStartTemplate, function: FunctionDefinition, version: String, pool: EnvironmentPool,
                      started: ContinuousClock.Instant) async throws -> ExecutionEnvironment {
        var phases = ColdStartPhases(path: "snap_start", started: started)
        let copy: StemCell
        // A copy made now has the function's environment as of now; a standby one gets it at its claim.
        var environment: [(String, String)]?
        if let standby = template.takeStandby() {
            copy = standby
            phases.mark("claim")
        } else {
            (copy, environment) = try await startCopy(template, function: function, version: version)
            guard copy.claim() else {
                copy.discard()
                throw SandboxError.launchFailed("the copy ended before it was used")
            }
            phases.mark("restore")
        }
        let logGroup = LogNames.group(function: function.name, configured: function.logGroup)
        let logStream = LogNames.stream(version: version, environmentId: copy.id)
        let env = try await attachedEnvironment(
            id: copy.id, sandbox: copy.sandbox, cgroups: copy.cgroups, exitRelay: copy.exit, function: function, version: version,
            logGroup: logGroup, logStream: logStream, provisioned: false, restored: true, started: started, phases: phases,
            pool: pool, releaseNetwork: copy.releaseNetwork)
        do {
            let current = try environment ?? withXRayDaemon(try host.specification(
                for: function, version: version, environmentId: copy.id, logGroup: logGroup, logStream: logStream,
                cgroups: copy.cgroups, initializationType: "snap-start", networkNamespace: copy.network?.path)).environment
            let given = current + [("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:\(copy.sandbox.runtimePort)")]
            let sandbox = copy.sandbox
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                launchQueue.async { continuation.resume(with: Result { try sandbox.sendEnvironment(given) }) }
            }
        } catch {
            env.terminate()
            throw error
        }
        if !pool.add(env) {
            logger.debug("environment restored for a retired revision", metadata: ["function": "\(function.name)"])
        }
        metrics.snapStartRestore(result: phases.phases.first?.name == "claim" ? "standby" : "restored")
        // The next standby copy is made once this one's restore is over, not while it runs (forking the template and
        // setting up a copy take the CPU and the kernel's namespace locks this restore needs on a small host).
        Task { [self] in
            _ = await env.waitUntilInitialised()
            refillStandby(template, function: function, version: version)
        }
        return env
    }
}
