import Foundation

/// The cgroup(s) of one execution environment: its limits, its measurements, freezing and killing.
public struct CgroupSet: Sendable {
    public let version: CgroupVersion
    /// v1: controller → directory; v2: "" → directory.
    public let directories: [String: String]

    /// One vCPU per this many MB of memory, as Lambda allocates CPU.
    public static let megabytesPerVCPU = 1769.0
    public static let cpuPeriodMicroseconds = 100_000

    /// Directories the launcher joins (`--cgroup`).
    public var joinPaths: [String] { directories.keys.sorted().map { directories[$0]! } }

    private func path(_ controller: String, _ file: String) -> String? {
        switch version {
        case .v1: return directories[controller].map { $0 + "/" + file }
        case .v2: return directories[""].map { $0 + "/" + file }
        }
    }

    /// Applies memory = `memoryMB` (no swap) and a task limit. CPU stays unlimited until `limitCPU`:
    /// like Lambda, an environment initialises at full speed and is held to its share when it starts invoking.
    public func applyLimits(memoryMB: Int, pidsMax: Int = 1024) throws {
        let bytes = memoryMB * 1024 * 1024
        switch version {
        case .v1:
            // memory+swap may never be below memory: raise it first, lower it last (a stem cell's group is raised).
            let limit = path("memory", "memory.limit_in_bytes")!
            let memsw = path("memory", "memory.memsw.limit_in_bytes").flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
            let current = CgroupHierarchy.read(limit).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let memsw, let current, bytes > current { try? CgroupHierarchy.write("\(bytes)", to: memsw) }
            try CgroupHierarchy.write("\(bytes)", to: limit)
            if let memsw { try? CgroupHierarchy.write("\(bytes)", to: memsw) }
            try? CgroupHierarchy.write("0", to: path("memory", "memory.swappiness")!)
            try CgroupHierarchy.write("\(pidsMax)", to: path("pids", "pids.max")!)
        case .v2:
            try CgroupHierarchy.write("\(bytes)", to: path("", "memory.max")!)
            try? CgroupHierarchy.write("0", to: path("", "memory.swap.max")!)
            try CgroupHierarchy.write("\(pidsMax)", to: path("", "pids.max")!)
        }
    }

    /// The CFS quota for `memoryMB`: one vCPU per 1,769 MB. The period is short enough that a small
    /// share arrives in slices of about a millisecond rather than one long pause per 100 ms.
    public static func cpuQuota(memoryMB: Int, hostCPUs: Int) -> (quota: Int, period: Int) {
        let share = min(Double(hostCPUs), Double(memoryMB) / megabytesPerVCPU)
        let period = share >= 1 ? cpuPeriodMicroseconds : max(10_000, min(cpuPeriodMicroseconds, Int(1000 / share)))
        return (max(1000, Int(Double(period) * share)), period)
    }

    /// Holds the group to its CPU share of `memoryMB`.
    public func limitCPU(memoryMB: Int, hostCPUs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        let (quota, period) = Self.cpuQuota(memoryMB: memoryMB, hostCPUs: hostCPUs)
        switch version {
        case .v1:
            try? CgroupHierarchy.write("\(period)", to: path("cpu", "cpu.cfs_period_us")!)
            try? CgroupHierarchy.write("\(quota)", to: path("cpu", "cpu.cfs_quota_us")!)
            try? CgroupHierarchy.write("\(max(2, memoryMB * 1024 / 1769))", to: path("cpu", "cpu.shares")!)
        case .v2:
            try? CgroupHierarchy.write("\(quota) \(period)", to: path("", "cpu.max")!)
        }
    }

    /// How an environment's group weighs against the others' while the CPUs are busy.
    public enum CPUPriority: Sendable {
        /// Nearly nothing: a pre-started environment nobody waits for yet yields to every other one.
        case background
        /// The kernel's default weight (an environment's init runs at full speed until `limitCPU`).
        case normal
    }

    /// Sets the group's CPU weight (`cpu.shares` on v1, `cpu.weight` on v2). It only matters when the CPUs are
    /// contended: a group in the background still runs at full speed on an idle machine.
    public func setCPUPriority(_ priority: CPUPriority) {
        switch version {
        case .v1: try? CgroupHierarchy.write(priority == .background ? "2" : "1024", to: path("cpu", "cpu.shares")!)
        case .v2: try? CgroupHierarchy.write(priority == .background ? "1" : "100", to: path("", "cpu.weight")!)
        }
    }

    /// Highest memory use of the group since it was created, in bytes.
    public func peakMemoryBytes() -> Int? {
        let file = version == .v1 ? path("memory", "memory.max_usage_in_bytes") : path("", "memory.peak")
        return file.flatMap(CgroupHierarchy.read).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Whether the kernel's OOM killer has killed a process of this group.
    public func oomKills() -> Int {
        let file = version == .v1 ? path("memory", "memory.oom_control") : path("", "memory.events")
        guard let text = file.flatMap(CgroupHierarchy.read) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst("oom_kill ".count)) ?? 0
        }
        return 0
    }

    /// Suspends every process of the group (asynchronously completed by the kernel).
    public func freeze() {
        let file = version == .v1 ? path("freezer", "freezer.state") : path("", "cgroup.freeze")
        if let file { try? CgroupHierarchy.write(version == .v1 ? "FROZEN" : "1", to: file) }
    }

    public func thaw() {
        let file = version == .v1 ? path("freezer", "freezer.state") : path("", "cgroup.freeze")
        if let file { try? CgroupHierarchy.write(version == .v1 ? "THAWED" : "0", to: file) }
    }

    /// Process ids in the group, as the host sees them (on v1, those of every controller's directory: a group a
    /// dead server left may lack one).
    public func processes() -> [pid_t] {
        var pids = Set<pid_t>()
        for dir in directories.values {
            for line in (CgroupHierarchy.read(dir + "/cgroup.procs") ?? "").split(separator: "\n") {
                if let pid = pid_t(line) { pids.insert(pid) }
            }
        }
        return Array(pids)
    }

    /// SIGKILLs every process of the group, frozen ones included.
    public func killAll() {
        switch version {
        case .v2:
            if let file = path("", "cgroup.kill"), (try? CgroupHierarchy.write("1", to: file)) != nil { return }
            for pid in processes() { kill(pid, SIGKILL) }
            thaw()
        case .v1:
            // A frozen task receives the signal once thawed: signal first, then thaw.
            for pid in processes() { kill(pid, SIGKILL) }
            thaw()
        }
    }

    /// Removes the group once its processes are gone; retried until `deadline`.
    public func remove(deadline: ContinuousClock.Instant = .now + .seconds(5)) async {
        while true {
            var remaining = false
            for dir in directories.values where FileManager.default.fileExists(atPath: dir) {
                if rmdir(dir) != 0 && errno != ENOENT { remaining = true }
            }
            if !remaining || ContinuousClock.now >= deadline { return }
            killAll()
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
