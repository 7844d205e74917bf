/// What one execution environment's process tree gets: its program, environment, filesystem and limits.
public struct SandboxSpec: Sendable {
    public struct Bind: Sendable, Equatable {
        public var source: String
        public var destination: String
        public var writable: Bool

        public init(_ source: String, at destination: String, writable: Bool = false) {
            self.source = source
            self.destination = destination
            self.writable = writable
        }
    }

    /// argv of the runtime's bootstrap (resolved inside the sandbox).
    public var program: [String]
    /// The complete environment of the bootstrap, in order.
    public var environment: [(String, String)]
    public var binds: [Bind]
    /// (target, link) pairs created in the new root: merged-/usr hosts need `/bin -> usr/bin` and the like.
    public var symlinks: [(String, String)]
    public var tmpSizeMB: Int
    public var cgroups: CgroupSet?
    public var uid: UInt32
    public var gid: UInt32
    public var hostname: String
    /// Working directory of the bootstrap (`/var/task` in a sandbox; the code directory in plain mode).
    public var workdir: String
    /// Port of Swiftlet's endpoint inside the environment's network namespace (`127.0.0.1:<port>`), relayed to the
    /// server; nil for none. Sandbox mode only (plain processes reach the server's own listener).
    public var endpointPort: Int?
    /// A prepared network namespace (`/run/netns/…`) to join instead of a new one with loopback only.
    public var networkNamespace: String?
    /// A stem cell: started before its function is known, with empty mount points at `/var/task` and `/opt` and no
    /// `/tmp` until `LaunchedSandbox.specialise` attaches them (sandbox mode only).
    public var stemCell = false
    /// A SnapStart template: its runtime initialises the function once and then forks copies on request
    /// (`LaunchedSandbox.requestCopy`); its filter lets a copy leave its namespaces (sandbox mode only).
    public var template = false
    /// A copy of a template: the launcher's stdin is the copy's channel, `program` is not run (sandbox mode only).
    public var copy = false

    public init(program: [String], environment: [(String, String)], binds: [Bind] = [], symlinks: [(String, String)] = [],
                tmpSizeMB: Int = 512, cgroups: CgroupSet? = nil, uid: UInt32 = 993, gid: UInt32 = 990,
                hostname: String = "localhost", workdir: String = "/var/task", endpointPort: Int? = nil,
                networkNamespace: String? = nil) {
        self.program = program
        self.environment = environment
        self.binds = binds
        self.symlinks = symlinks
        self.tmpSizeMB = tmpSizeMB
        self.cgroups = cgroups
        self.uid = uid
        self.gid = gid
        self.hostname = hostname
        self.workdir = workdir
        self.endpointPort = endpointPort
        self.networkNamespace = networkNamespace
    }
}

/// How environments are isolated on this host.
public enum IsolationMode: Sendable, Equatable {
    /// Namespaces, a private root built in `root` (an empty host directory), an unprivileged uid, cgroups.
    case sandbox(root: String)
    /// Plain processes: no namespaces and no private filesystem (host without root or namespaces).
    case plain
}
