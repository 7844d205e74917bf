import Foundation

/// Which cgroup interface the host offers.
public enum CgroupVersion: String, Sendable {
    case v1
    case v2
}

/// Where Swiftlet creates the cgroups of its execution environments: one parent group below the
/// server's own cgroup (per controller on v1, one unified directory on v2), one child per environment.
public struct CgroupHierarchy: Sendable {
    /// Controllers an environment is limited by on a v1 host.
    static let v1Controllers = ["memory", "cpu", "pids", "freezer"]

    /// All environments together weigh an eighth of a default group when the machine is saturated, so the
    /// server itself — accepting requests, running the control plane and the dispatchers — keeps going while
    /// functions use every idle cycle (each one still capped by its memory's share).
    static let groupCPUSharesV1 = 128
    static let groupCPUWeightV2 = 12

    public let version: CgroupVersion
    /// v1: controller name → parent directory; v2: "" → parent directory.
    let parents: [String: String]

    /// Finds the host's cgroups and creates Swiftlet's parent group in them.
    /// Throws `SandboxError.unavailable` with the reason when that cannot be done.
    public static func prepare(name: String, mountRoot: String = "/sys/fs/cgroup") throws -> CgroupHierarchy {
        let fm = FileManager.default
        let own = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        if fm.fileExists(atPath: mountRoot + "/cgroup.controllers") {
            // v2: "0::/path". Controllers must be delegated to our parent group's subtree.
            guard let line = own.split(separator: "\n").first(where: { $0.hasPrefix("0::") }) else {
                throw SandboxError.unavailable("no unified cgroup entry in /proc/self/cgroup")
            }
            let base = mountRoot + String(line.dropFirst(3))
            let parent = base.hasSuffix("/") ? base + name : base + "/" + name
            try makeDirectory(parent)
            // Enabling controllers in our own group is refused while it holds processes (unless it is the
            // root); the group we create has none, so delegation is asked of it, after its own parent.
            try? write("+memory +cpu +pids", to: base + "/cgroup.subtree_control")
            do {
                try write("+memory +cpu +pids", to: parent + "/cgroup.subtree_control")
            } catch {
                throw SandboxError.unavailable("cannot enable memory, cpu and pids controllers below \(parent): \(error)")
            }
            try? write(String(groupCPUWeightV2), to: parent + "/cpu.weight")
            return CgroupHierarchy(version: .v2, parents: ["": parent])
        }
        var parents: [String: String] = [:]
        for controller in v1Controllers {
            let mount = mountRoot + "/" + controller
            guard fm.fileExists(atPath: mount + "/cgroup.procs") else {
                throw SandboxError.unavailable("cgroup v1 controller \(controller) is not mounted at \(mount)")
            }
            // Lines look like "4:memory:/some/path" (controllers can be co-mounted: "2:cpu,cpuacct:/").
            let path = own.split(separator: "\n").compactMap { line -> String? in
                let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                guard parts.count == 3, parts[1].split(separator: ",").contains(Substring(controller)) else { return nil }
                return String(parts[2])
            }.first ?? "/"
            let parent = (mount + path).hasSuffix("/") ? mount + path + name : mount + path + "/" + name
            try makeDirectory(parent)
            parents[controller] = parent
        }
        if let cpu = parents["cpu"] { try? write(String(groupCPUSharesV1), to: cpu + "/cpu.shares") }
        return CgroupHierarchy(version: .v1, parents: parents)
    }

    /// A fresh group for one environment.
    public func create(_ name: String) throws -> CgroupSet {
        var dirs: [String: String] = [:]
        for (controller, parent) in parents {
            let dir = parent + "/" + name
            try Self.makeDirectory(dir)
            dirs[controller] = dir
        }
        return CgroupSet(version: version, directories: dirs)
    }

    /// Removes the parent groups (best effort; children must be gone).
    public func removeAll() {
        for parent in parents.values {
            if let children = try? FileManager.default.contentsOfDirectory(atPath: parent) {
                for child in children where child.hasPrefix("env-") {
                    rmdir(parent + "/" + child)
                }
            }
            rmdir(parent)
        }
    }

    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw SandboxError.unavailable("cannot create cgroup \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func write(_ value: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SandboxError.cgroupWrite(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count else { throw SandboxError.cgroupWrite(path, String(cString: strerror(errno))) }
    }

    /// The whole file (a group's `cgroup.procs` can hold a thousand pids).
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
