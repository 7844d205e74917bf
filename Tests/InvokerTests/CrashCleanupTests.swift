import Foundation
@testable import Sandbox
import Testing

/// Which of Swiftlet's cgroup siblings a starting server ends as a dead predecessor's.
@Suite struct CrashCleanupTests {
    @Test func onlyGroupsOfServersNoLongerRunningAreLeftovers() {
        let running: Set<pid_t> = [300]
        let siblings = ["swiftlet-100", "swiftlet-200", "swiftlet-300", "swiftlet-400", "swiftlet-abc", "swiftlet-",
                        "swiftlet--5", "other-100", "env-1", "cgroup.procs"]
        let stale = CgroupHierarchy.deadServerGroups(siblings, own: "swiftlet-400", prefix: "swiftlet-") { pid, name in
            #expect(name == "swiftlet-\(pid)")
            return running.contains(pid)
        }
        // 300 runs; 400 is ours (its leftover environments are ended separately, the group stays).
        #expect(stale == ["swiftlet-100", "swiftlet-200"])
    }

    @Test func aServerIsRunningUntilItsPidIsGoneOrReused() throws {
        let group = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: group, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: group) }
        // A group made now by a process alive since before it: that process may be its server.
        #expect(CgroupHierarchy.isRunningServer(getpid(), group: group))
        // pid_max is at most 2^22: this pid cannot exist.
        #expect(!CgroupHierarchy.isRunningServer(4_194_304 + 7, group: group))
        // A group last changed long before this process started was made by another one that had its pid.
        var times = [timespec(tv_sec: 946_684_800, tv_nsec: 0), timespec(tv_sec: 946_684_800, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, group, &times, 0) == 0)
        #expect(!CgroupHierarchy.isRunningServer(getpid(), group: group))
    }

    /// The selection on a stand-in hierarchy of plain directories (no processes): what is ours or a running
    /// server's stays, the environments and groups of a dead server go, and so do environments already in our group.
    @Test func removesADeadServersGroupsAndStaleEnvironmentsOfOurOwn() throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("cgroups-\(UUID().uuidString)").path
        defer { try? fm.removeItem(atPath: root) }
        let own = "swiftlet-\(getpid())", dead = "swiftlet-\(4_194_304 + 7)", running = "swiftlet-1"
        for controller in ["freezer", "pids"] {
            for dir in ["\(own)/env-a", "\(dead)/env-b", "\(dead)/env-c", "\(running)/env-d", "\(own)/other"] {
                try fm.createDirectory(atPath: "\(root)/\(controller)/\(dir)", withIntermediateDirectories: true)
            }
        }
        let hierarchy = CgroupHierarchy(version: .v1, parents: ["freezer": "\(root)/freezer/\(own)", "pids": "\(root)/pids/\(own)"])
        let cleanup = hierarchy.removeLeftovers(deadline: .seconds(2))
        #expect(cleanup.environments == 3 && cleanup.processes == 0 && cleanup.remaining.isEmpty)
        for controller in ["freezer", "pids"] {
            let left = try fm.subpathsOfDirectory(atPath: "\(root)/\(controller)").sorted()
            #expect(left == [own, "\(own)/other", running, "\(running)/env-d"].sorted(), "\(controller)")
        }
    }

    @Test func processStartIsBeforeNow() throws {
        let started = try #require(CgroupHierarchy.processStart(getpid()))
        #expect(started <= Date().timeIntervalSince1970 + 1)
        #expect(started > Date().timeIntervalSince1970 - 24 * 3600)
        #expect(CgroupHierarchy.processStart(4_194_304 + 7) == nil)
    }
}
