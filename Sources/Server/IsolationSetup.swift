import Foundation
import Invoker
import Logging
import Sandbox

/// Decides how this host isolates execution environments, proving it by starting a probe sandbox,
/// and says why when it has to fall back.
struct IsolationSetup {
    let launcher: SandboxLauncher
    let cgroups: CgroupHierarchy?
    /// For `/health` and the startup log.
    let description: String

    static func prepare(request: IsolationRequest, dataDir: String, logger: Logger) throws -> IsolationSetup {
        let launcherPath = Self.launcherPath()
        let root = dataDir + "/sandbox/root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)

        var cgroups: CgroupHierarchy?
        var cgroupNote: String
        do {
            let hierarchy = try CgroupHierarchy.prepare(name: "swiftlet-\(getpid())")
            removeLeftovers(of: hierarchy, logger: logger)
            cgroups = hierarchy
            cgroupNote = "cgroup \(cgroups!.version.rawValue) limits (memory, cpu, pids, freezer)"
        } catch {
            cgroupNote = "no cgroup limits (\(error))"
        }

        if request == .plain {
            return IsolationSetup(launcher: SandboxLauncher(launcherPath: launcherPath, mode: .plain), cgroups: cgroups,
                                  description: "plain processes (--isolation plain): functions are not isolated from each other or the host; \(cgroupNote)")
        }
        var reason: String?
        if geteuid() != 0 {
            reason = "not running as root"
        } else if !FileManager.default.isExecutableFile(atPath: launcherPath) {
            reason = "launcher \(launcherPath) not found"
        } else {
            let sandbox = SandboxLauncher(launcherPath: launcherPath, mode: .sandbox(root: root))
            if let failure = probe(sandbox) {
                reason = "namespaces unavailable: \(failure)"
            } else {
                return IsolationSetup(
                    launcher: sandbox, cgroups: cgroups,
                    description: "sandbox: mount, pid, ipc, uts and network namespaces; private root with read-only /var/task; unprivileged uid; seccomp filter; \(cgroupNote)")
            }
        }
        if request == .sandbox {
            throw SandboxError.unavailable("--isolation sandbox was asked for, but \(reason!)")
        }
        return IsolationSetup(launcher: SandboxLauncher(launcherPath: launcherPath, mode: .plain), cgroups: cgroups,
                              description: "plain processes: \(reason!); functions are not isolated from each other or the host; \(cgroupNote)")
    }

    /// Ends what a server that died left running (frozen environments included) before this one starts any.
    private static func removeLeftovers(of hierarchy: CgroupHierarchy, logger: Logger) {
        let cleanup = hierarchy.removeLeftovers()
        if cleanup.environments > 0 {
            logger.notice("removed the execution environments a previous server left", metadata: [
                "environments": "\(cleanup.environments)", "processes": "\(cleanup.processes)"])
        }
        if !cleanup.remaining.isEmpty {
            logger.error("execution environments a previous server left could not be removed; their processes would not die",
                         metadata: ["cgroups": "\(cleanup.remaining.joined(separator: ", "))"])
        }
    }

    /// Starts `/bin/sh -c 'exit 0'` in a sandbox; nil when that worked, else what failed.
    private static func probe(_ launcher: SandboxLauncher) -> String? {
        let (binds, links) = EnvironmentHost.systemLayout(runtimes: .init(runtimes: []))
        let spec = SandboxSpec(program: ["/bin/sh", "-c", "exit 0"], environment: [("PATH", "/usr/bin:/bin")],
                               binds: binds, symlinks: links, tmpSizeMB: 1, workdir: "/")
        do {
            let launched = try launcher.launch(spec)
            let status = Self.waitBlocking(launched.pid)
            // Everything that could write to the output is gone: what it said (a failed seccomp filter, say) is all there.
            var said = [UInt8](repeating: 0, count: 1024)
            let n = said.withUnsafeMutableBytes { read(launched.output, $0.baseAddress, $0.count) }
            close(launched.control); close(launched.output); close(launched.runtimeListener)
            guard status != .exited(0) else { return nil }
            let output = n > 0 ? String(decoding: said[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
            return "probe sandbox ended with \(status)" + (output.isEmpty ? "" : ": \(output)")
        } catch {
            return "\(error)"
        }
    }

    private static func waitBlocking(_ pid: pid_t) -> ProcessExit {
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox()
        ProcessReaper.shared.watch(pid) { status in
            result.set(status)
            done.signal()
        }
        done.wait()
        return result.get()
    }

    /// `swiftlet-sandbox` next to this executable, unless `SWIFTLET_SANDBOX_LAUNCHER` names another.
    static func launcherPath() -> String {
        if let path = ProcessInfo.processInfo.environment["SWIFTLET_SANDBOX_LAUNCHER"] { return path }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("swiftlet-sandbox").path
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: ProcessExit = .exited(-1)
    func set(_ v: ProcessExit) { lock.lock(); value = v; lock.unlock() }
    func get() -> ProcessExit { lock.lock(); defer { lock.unlock() }; return value }
}
