import Foundation

/// What `CgroupHierarchy.removeLeftovers` found and did.
public struct LeftoverCleanup: Sendable, Equatable {
    /// Environment groups ended and removed.
    public var environments = 0
    /// Processes that were still in them (frozen ones included) and were killed.
    public var processes = 0
    /// Groups still present at the deadline (their processes would not die).
    public var remaining: [String] = []

    public init() {}
}

extension CgroupHierarchy {
    /// Ends and removes what a server that died (SIGKILL, crash, power cut) left in the hierarchy: the `env-*`
    /// groups of every `swiftlet-<pid>` sibling whose server is no longer running, and any `env-*` already in
    /// our own group (a restarted server can get its predecessor's pid, in a container most of all). Nothing is
    /// left to the leftovers themselves: their processes may be frozen and their launchers dead, so each group
    /// is SIGKILLed (`cgroup.kill` on v2), thawed, and removed once empty; then the dead servers' groups go.
    ///
    /// Call it at startup, before this server starts an environment. Blocks until done or `deadline`.
    public func removeLeftovers(prefix: String = "swiftlet-", deadline: Duration = .seconds(10)) -> LeftoverCleanup {
        let fm = FileManager.default
        let ours = parents.mapValues { ($0 as NSString).lastPathComponent }
        // Group directories to end, by environment (one directory per controller on v1).
        var environments: [String: [String: String]] = [:]
        var deadServers: [String] = []
        for (controller, parent) in parents {
            let base = (parent as NSString).deletingLastPathComponent
            let siblings = (try? fm.contentsOfDirectory(atPath: base)) ?? []
            let stale = Self.deadServerGroups(siblings, own: ours[controller] ?? "", prefix: prefix) { pid, name in
                Self.isRunningServer(pid, group: base + "/" + name)
            }
            for dir in [parent] + stale.map({ base + "/" + $0 }) {
                for child in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where child.hasPrefix("env-") {
                    environments[String(dir.dropFirst(base.count)) + "/" + child, default: [:]][controller] = dir + "/" + child
                }
            }
            deadServers += stale.map { base + "/" + $0 }
        }

        var report = LeftoverCleanup()
        let groups = environments.values.map { CgroupSet(version: version, directories: $0) }
        for group in groups {
            report.processes += group.processes().count
            group.killAll()
        }
        let end = ContinuousClock.now + deadline
        var pending = groups
        while true {
            pending = pending.filter { group in
                for dir in group.directories.values where rmdir(dir) != 0 && errno != ENOENT { return true }
                return false
            }
            if pending.isEmpty || ContinuousClock.now >= end { break }
            // Killed tasks leave their group as they exit; a v1 task frozen after the kill needs another thaw.
            for group in pending { group.killAll() }
            usleep(10_000)
        }
        report.environments = groups.count - pending.count
        report.remaining = pending.flatMap { $0.directories.values }.sorted()
        for dir in deadServers { rmdir(dir) }
        return report
    }

    /// The `swiftlet-<pid>` names among `siblings` whose server is gone (pure, for tests).
    static func deadServerGroups(_ siblings: [String], own: String, prefix: String,
                                 isRunningServer: (pid_t, String) -> Bool) -> [String] {
        siblings.filter { name in
            guard name != own, name.hasPrefix(prefix), let pid = pid_t(name.dropFirst(prefix.count)), pid > 0 else {
                return false
            }
            return !isRunningServer(pid, name)
        }.sorted()
    }

    /// Whether the server that created `group` (named after its pid) may still be running. It is gone when no
    /// live process has that pid (a zombie is dead), or when the process that has it started after the group was
    /// last changed: a server starts before it creates its group, so that is another process the kernel gave the
    /// pid to. Any doubt counts as running: a server's groups are never ended under it, whatever its executable
    /// (a test bundle runs servers in-process).
    static func isRunningServer(_ pid: pid_t, group: String) -> Bool {
        guard let started = processStart(pid) else { return false }
        var info = stat()
        guard stat(group, &info) == 0 else { return true }
        let changed = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        // Room for the start time's tick precision and for the wall clock being stepped since the group was made.
        return started <= changed + 60
    }

    /// When `pid` started, in seconds since 1970; nil when there is no such live process.
    static func processStart(_ pid: pid_t) -> Double? {
        // "pid (comm) state ppid … starttime(22nd field) …"; comm may hold spaces and parentheses.
        guard let text = read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X", let ticks = Double(fields[19]) else { return nil }
        guard let btime = read("/proc/stat")?.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let boot = Double(btime.dropFirst("btime ".count)) else { return nil }
        return boot + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
