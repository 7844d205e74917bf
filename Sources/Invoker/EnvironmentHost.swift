import Catalog
import Foundation
import FunctionLogs
import FunctionNetwork
import Logging
import RuntimeBootstraps
import Sandbox
import Synchronization

/// What this host gives environments: the launcher and isolation mode, cgroups, code, runtimes, and the
/// recipe that turns a function version into a sandbox specification.
public struct EnvironmentHost: Sendable {
    public let launcher: SandboxLauncher
    public let cgroups: CgroupHierarchy?
    public let code: CodeCache
    public let layers: LayerCache
    public let runtimes: RuntimeRegistry
    public let region: String
    /// Execution-role credentials and the platform's endpoint; nil where environments get neither (tests).
    public let platform: (any PlatformAccess)?
    /// Prepared network namespaces with egress; nil where sandboxed functions get loopback only.
    public let network: NetworkPool?
    /// The AWS SDK for Python offered to Python functions (after their own code and layers), when installed.
    public let pythonSDK: String?
    /// Where the SDK is inside a sandbox.
    static let sandboxPythonSDK = "/var/lang/sdk/python"
    /// Swiftlet's runtime interface clients (mounted at `/var/runtime`).
    public let bootstrapDirectory: String
    /// An empty directory (mounted at `/opt` for functions without layers).
    public let emptyDirectory: String
    /// Binds and symlinks every sandbox gets: the host's system directories, read-only.
    let systemBinds: [SandboxSpec.Bind]
    let systemSymlinks: [(String, String)]
    private static let nextUid = Atomic<UInt32>(0)

    /// Unprivileged ids environments run as: one uid per environment from this range.
    static let uidBase: UInt32 = 200_000
    static let uidCount: UInt32 = 50_000

    public init(launcher: SandboxLauncher, cgroups: CgroupHierarchy?, code: CodeCache, layers: LayerCache, runtimes: RuntimeRegistry,
                region: String, emptyDirectory: String, bootstrapDirectory: String = RuntimeBootstrapFiles.directory,
                platform: (any PlatformAccess)? = nil, network: NetworkPool? = nil, pythonSDK: String? = nil) {
        self.launcher = launcher
        self.platform = platform
        self.network = network
        self.pythonSDK = pythonSDK
        self.cgroups = cgroups
        self.code = code
        self.layers = layers
        self.runtimes = runtimes
        self.region = region
        self.bootstrapDirectory = bootstrapDirectory
        self.emptyDirectory = emptyDirectory
        (systemBinds, systemSymlinks) = Self.systemLayout(runtimes: runtimes)
    }

    public var isSandboxed: Bool {
        if case .sandbox = launcher.mode { return true }
        return false
    }

    /// `/usr`, `/etc` and the top-level system directories (symlinks on merged-/usr hosts), plus the
    /// installation prefix of every interpreter that lives outside `/usr`.
    public static func systemLayout(runtimes: RuntimeRegistry) -> ([SandboxSpec.Bind], [(String, String)]) {
        var binds = [SandboxSpec.Bind("/usr", at: "/usr"), SandboxSpec.Bind("/etc", at: "/etc")]
        var links: [(String, String)] = []
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: top) {
                links.append((target, top))
            } else if FileManager.default.fileExists(atPath: top) {
                binds.append(SandboxSpec.Bind(top, at: top))
            }
        }
        var prefixes = Set<String>()
        for runtime in runtimes.runtimes {
            guard let interpreter = runtime.interpreter else { continue }
            let real = URL(fileURLWithPath: interpreter).resolvingSymlinksInPath().path
            if real.hasPrefix("/usr/") || real.hasPrefix("/bin/") { continue }
            // <prefix>/bin/python3.11 → <prefix>
            let prefix = URL(fileURLWithPath: real).deletingLastPathComponent().deletingLastPathComponent().path
            prefixes.insert(prefix)
        }
        for prefix in prefixes.sorted() {
            binds.append(SandboxSpec.Bind(prefix, at: prefix))
        }
        if let resolver = resolverBind() { binds.append(resolver) }
        return (binds, links)
    }

    /// What makes the host's resolver configuration usable inside a sandbox, where the host's loopback is not the
    /// environment's: `/etc/resolv.conf` pointing (through a symlink) outside `/etc` needs that file, and a stub
    /// resolver on loopback (systemd-resolved's `127.0.0.53`) is replaced by the upstream servers it uses.
    static func resolverBind(conf: String = "/etc/resolv.conf",
                             upstream: String = "/run/systemd/resolve/resolv.conf") -> SandboxSpec.Bind? {
        let resolved = URL(fileURLWithPath: conf).resolvingSymlinksInPath().path
        guard let text = try? String(contentsOfFile: resolved, encoding: .utf8) else { return nil }
        if !onlyLoopbackNameservers(text) {
            // `/etc` is bound as a whole: only a file outside it must be added.
            let etc = (conf as NSString).deletingLastPathComponent + "/"
            return resolved.hasPrefix(etc) ? nil : SandboxSpec.Bind(resolved, at: resolved)
        }
        guard let upstreamText = try? String(contentsOfFile: upstream, encoding: .utf8),
              !onlyLoopbackNameservers(upstreamText) else { return nil }
        return SandboxSpec.Bind(upstream, at: resolved)
    }

    /// Whether every `nameserver` line names a loopback address (or there is none).
    static func onlyLoopbackNameservers(_ text: String) -> Bool {
        let servers = text.split(separator: "\n").compactMap { line -> Substring? in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return fields.count >= 2 && fields[0] == "nameserver" ? fields[1] : nil
        }
        return servers.allSatisfy { $0.hasPrefix("127.") || $0 == "::1" }
    }

    /// Whether `path` can be a `bootstrap`: an executable file, or in a sandbox a symlink, which resolves only
    /// there (to `/opt/…` or `/var/task/…`) and is never followed on the host.
    static func isEntrypoint(_ path: String, sandboxed: Bool) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        if info.st_mode & S_IFMT == S_IFLNK { return sandboxed }
        return info.st_mode & S_IFMT == S_IFREG && info.st_mode & 0o111 != 0
    }

    /// The sandbox specification of one environment of `function`.
    func specification(for function: FunctionDefinition, version: String, environmentId: String,
                       logGroup: String, logStream: String, cgroups: CgroupSet?,
                       initializationType: String = "on-demand", networkNamespace: String? = nil) throws -> SandboxSpec {
        let codeDir = try code.directory(for: function.code.digest)
        let layerDir = try layers.directory(for: function.layers)
        let sandboxed = isSandboxed
        let taskRoot = sandboxed ? "/var/task" : codeDir
        let runtimeDir = sandboxed ? "/var/runtime" : bootstrapDirectory
        // Without a sandbox there is no `/opt`: the merged layers are named where they are.
        let opt = sandboxed ? "/opt" : (layerDir ?? emptyDirectory)
        let runtimeId = function.runtime ?? "provided.al2023"
        let program: [String]
        if runtimeId.hasPrefix("provided") {
            if Self.isEntrypoint(codeDir + "/bootstrap", sandboxed: sandboxed) {
                program = [taskRoot + "/bootstrap"]
            } else if let layerDir, Self.isEntrypoint(layerDir + "/bootstrap", sandboxed: sandboxed) {
                program = [opt + "/bootstrap"]
            } else {
                throw InvokerError.invalidEntrypoint(taskRoot + "/bootstrap")
            }
        } else if let info = runtimes.runtime(runtimeId), let interpreter = info.interpreter {
            let real = URL(fileURLWithPath: interpreter).resolvingSymlinksInPath().path
            let script = runtimeId.hasPrefix("python") ? "python/bootstrap.py" : "nodejs/bootstrap.mjs"
            program = [real, runtimeDir + "/" + script]
        } else {
            throw InvokerError.runtimeUnavailable(runtimeId)
        }

        var env: [(String, String)] = Self.processEnvironment(taskRoot: taskRoot, runtimeDir: runtimeDir, opt: opt) + [
            ("LAMBDA_TASK_ROOT", taskRoot),
            ("LAMBDA_RUNTIME_DIR", runtimeDir),
            ("AWS_REGION", region),
            ("AWS_DEFAULT_REGION", region),
            ("AWS_LAMBDA_FUNCTION_NAME", function.name),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "\(function.memorySize)"),
            ("AWS_LAMBDA_FUNCTION_VERSION", version),
            ("AWS_LAMBDA_INITIALIZATION_TYPE", initializationType),
        ]
        // As on AWS, a SnapStart function has no log group or stream variables: its init ran before either existed.
        if initializationType != "snap-start" {
            env += [("AWS_LAMBDA_LOG_GROUP_NAME", logGroup), ("AWS_LAMBDA_LOG_STREAM_NAME", logStream)]
        }
        env += [
            // LoggingConfig as managed runtimes read it: the format, and with JSON the application log level.
            ("AWS_LAMBDA_LOG_FORMAT", function.logFormat),
            ("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR"),
            ("_AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129"),
            ("_AWS_XRAY_DAEMON_PORT", "2000"),
            ("AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000"),
        ]
        if !runtimeId.hasPrefix("provided") {
            env.append(("AWS_EXECUTION_ENV", "AWS_Lambda_\(runtimeId)"))
        }
        if function.logFormat == "JSON", let level = function.applicationLogLevel {
            env.append(("AWS_LAMBDA_LOG_LEVEL", level))
        }
        if let handler = function.handler { env.append(("_HANDLER", handler)) }
        if runtimeId.hasPrefix("python"), let sdk = pythonSDK {
            // The runtime client puts it on sys.path after the function's code and layers, as Lambda's boto3.
            env.append(("_SWIFTLET_PYTHON_SDK", sandboxed ? Self.sandboxPythonSDK : sdk))
        }
        if runtimeId.hasPrefix("python") {
            if sandboxed || layerDir == nil {
                env.append(("PYTHONPATH", runtimeDir))
            } else {
                // The runtime client puts `/opt/python…` on sys.path; plain processes get the real paths.
                let version = runtimeId.dropFirst("python".count)
                env.append(("PYTHONPATH", "\(runtimeDir):\(opt)/python/lib/python\(version)/site-packages:\(opt)/python"))
            }
        } else if runtimeId.hasPrefix("nodejs") {
            let major = runtimeId.dropFirst("nodejs".count).split(separator: ".").first.map(String.init) ?? ""
            env.append(("NODE_PATH", "\(opt)/nodejs/node\(major)/node_modules:\(opt)/nodejs/node_modules:\(runtimeDir)/node_modules:\(runtimeDir):\(taskRoot)"))
        }
        if !sandboxed, let home = ProcessInfo.processInfo.environment["HOME"] { env.append(("HOME", home)) }
        if let credentials = platform?.executionCredentials(role: function.role, functionName: function.name) {
            env.append(("AWS_ACCESS_KEY_ID", credentials.accessKeyId))
            env.append(("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey))
            env.append(("AWS_SESSION_TOKEN", credentials.sessionToken))
        }
        // The endpoint inside a sandbox is relayed from the environment's own loopback; the Runtime API keeps 9001.
        let endpoint = platform?.endpoint.flatMap { $0.port == 9001 && sandboxed ? nil : $0 }
        if let endpoint {
            env.append(("AWS_ENDPOINT_URL", "http://\(sandboxed ? "127.0.0.1" : endpoint.host):\(endpoint.port)"))
        }
        for (key, value) in (function.environment ?? [:]).sorted(by: { $0.key < $1.key }) {
            env.removeAll { $0.0 == key }
            env.append((key, value))
        }

        var binds = systemBinds
        binds.append(SandboxSpec.Bind(codeDir, at: "/var/task"))
        binds.append(SandboxSpec.Bind(bootstrapDirectory, at: "/var/runtime"))
        binds.append(SandboxSpec.Bind(layerDir ?? emptyDirectory, at: "/opt"))
        if runtimeId.hasPrefix("python"), let sdk = pythonSDK { binds.append(SandboxSpec.Bind(sdk, at: Self.sandboxPythonSDK)) }
        let uid = Self.allocateUid()
        return SandboxSpec(
            program: program, environment: env, binds: binds, symlinks: systemSymlinks,
            tmpSizeMB: function.ephemeralStorageSize, cgroups: cgroups, uid: uid, gid: uid,
            hostname: "localhost", workdir: taskRoot, endpointPort: sandboxed ? endpoint?.port : nil,
            networkNamespace: networkNamespace)
    }
}

extension EnvironmentHost {
    /// What the dynamic loader and the interpreter read once, when the process starts: every runtime gets these.
    static func processEnvironment(taskRoot: String, runtimeDir: String, opt: String) -> [(String, String)] {
        [("PATH", "/usr/local/bin:/usr/bin/:/bin:\(opt)/bin"),
         ("LD_LIBRARY_PATH", "/var/lang/lib:/lib64:/usr/lib64:\(runtimeDir):\(runtimeDir)/lib:\(taskRoot):\(taskRoot)/lib:\(opt)/lib"),
         ("LANG", "en_US.UTF-8"),
         ("TZ", ":UTC")]
    }

    /// The next unprivileged uid (and gid) of an environment.
    static func allocateUid() -> UInt32 {
        uidBase + nextUid.wrappingAdd(1, ordering: .relaxed).oldValue % uidCount
    }

    /// Variables a function may set that a started interpreter or the dynamic loader has already read (or would read
    /// differently at startup): a function setting one starts the classic way, never from a stem cell.
    /// (Node's: NODE_OPTIONS and the like, and libuv's; NODE_PATH is read again by the runtime client.)
    static func readAtProcessStart(_ name: String) -> Bool {
        name.hasPrefix("PYTHON") || name.hasPrefix("LD_") || name.hasPrefix("LC_") || name.hasPrefix("MALLOC_")
            || name.hasPrefix("GLIBC_") || name == "LANG" || name == "HOME" || name == "AWS_LAMBDA_EXEC_WRAPPER"
            || (name.hasPrefix("NODE_") && name != "NODE_PATH") || name.hasPrefix("UV_")
    }

    /// Runtimes whose runtime client can wait as a stem cell: Swiftlet's Python and Node.js clients.
    static func hasStemCells(_ runtime: String) -> Bool {
        runtime.hasPrefix("python") || runtime.hasPrefix("nodejs")
    }

    /// The runtime whose stem cells can serve `function`, or nil when it must start the classic way: sandboxed hosts,
    /// Python and Node.js runtimes, and no variable of `readAtProcessStart` in its environment.
    func stemCellRuntime(for function: FunctionDefinition) -> String? {
        guard isSandboxed, let runtime = function.runtime, Self.hasStemCells(runtime),
              runtimes.runtime(runtime)?.interpreter != nil else { return nil }
        if let variables = function.environment, variables.keys.contains(where: Self.readAtProcessStart) { return nil }
        return runtime
    }

    /// What a stem cell of `runtime` would be started from, as a string that changes when either file does: the
    /// interpreter (symbolic links resolved) and Swiftlet's runtime client, each by device, inode, size and
    /// modification time. Nil when the runtime has no stem cells here. Two `stat`s and a `realpath`: asked at every
    /// stem-cell cold start, so that an upgraded interpreter or client is never served from a cell started before.
    func stemCellOrigin(runtime: String) -> String? {
        guard let interpreter = runtimes.runtime(runtime)?.interpreter, Self.hasStemCells(runtime) else { return nil }
        let script = bootstrapDirectory + (runtime.hasPrefix("python") ? "/python/bootstrap.py" : "/nodejs/bootstrap.mjs")
        guard let real = realpath(interpreter, nil) else { return nil }
        defer { free(real) }
        return Self.fileIdentity(String(cString: real)) + "|" + Self.fileIdentity(script)
    }

    /// Device, inode, size and modification time of `path` ("-" when it cannot be read).
    static func fileIdentity(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "-" }
        return "\(st.st_dev):\(st.st_ino):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }

    /// The runtimes that get stem cells on this host, and whether their pools fill when the server starts: Python's
    /// do; Node.js's (most hosts run Python functions, fewer run Node) start at the first Node cold start
    /// that finds none.
    var stemCellRuntimes: [(runtime: String, fillAtStart: Bool)] {
        guard isSandboxed else { return [] }
        return runtimes.runtimes.compactMap {
            $0.interpreter != nil && Self.hasStemCells($0.identifier) ? ($0.identifier, $0.identifier.hasPrefix("python")) : nil
        }
    }

    /// A stem cell of `runtime`: the sandbox of an environment (its own uid, cgroups, network) whose interpreter starts
    /// with the runtime client and waits for a function (`_SWIFTLET_STEM_CELL`). Only the process-start variables of
    /// `processEnvironment` are set; the function's whole environment replaces them at specialisation.
    func stemCellSpecification(runtime: String, cgroups: CgroupSet?, networkNamespace: String?) throws -> SandboxSpec {
        guard let info = runtimes.runtime(runtime), let interpreter = info.interpreter, Self.hasStemCells(runtime) else {
            throw InvokerError.runtimeUnavailable(runtime)
        }
        let real = URL(fileURLWithPath: interpreter).resolvingSymlinksInPath().path
        let python = runtime.hasPrefix("python")
        let env = Self.processEnvironment(taskRoot: "/var/task", runtimeDir: "/var/runtime", opt: "/opt") + [
            ("LAMBDA_TASK_ROOT", "/var/task"), ("LAMBDA_RUNTIME_DIR", "/var/runtime"),
        ] + (python ? [("PYTHONPATH", "/var/runtime")] : []) + [
            ("_SWIFTLET_STEM_CELL", "1"),
        ]
        var binds = systemBinds
        binds.append(SandboxSpec.Bind(bootstrapDirectory, at: "/var/runtime"))
        if python, let sdk = pythonSDK { binds.append(SandboxSpec.Bind(sdk, at: Self.sandboxPythonSDK)) }
        let uid = Self.allocateUid()
        let script = python ? "/var/runtime/python/bootstrap.py" : "/var/runtime/nodejs/bootstrap.mjs"
        var spec = SandboxSpec(program: [real, script], environment: env, binds: binds,
                               symlinks: systemSymlinks, cgroups: cgroups, uid: uid, gid: uid, hostname: "localhost",
                               workdir: "/", endpointPort: platform?.endpoint.flatMap { $0.port == 9001 ? nil : $0.port },
                               networkNamespace: networkNamespace)
        spec.stemCell = true
        return spec
    }
}

/// Why an invocation could not start an environment.
enum InvokerError: Error, CustomStringConvertible {
    /// A `provided*` function without an executable `bootstrap`.
    case invalidEntrypoint(String)
    case runtimeUnavailable(String)

    var description: String {
        switch self {
        case .invalidEntrypoint(let path): return "Couldn't find valid bootstrap(s): [\(path) /opt/bootstrap]"
        case .runtimeUnavailable(let runtime): return "The runtime \(runtime) is not available on this host."
        }
    }
}
