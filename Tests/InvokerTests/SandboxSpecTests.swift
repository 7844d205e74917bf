import Sandbox
import Testing

@Suite struct SandboxSpecTests {
    @Test func cpuQuotaFollowsMemory() {
        // 128 MB is about 7 % of a vCPU: a 1 ms quota in a period short enough to keep pauses small.
        let small = CgroupSet.cpuQuota(memoryMB: 128, hostCPUs: 2)
        #expect(small.quota == 1000)
        #expect(small.period == 13_820)
        #expect(CgroupSet.cpuQuota(memoryMB: 1769, hostCPUs: 2) == (100_000, 100_000))
        #expect(CgroupSet.cpuQuota(memoryMB: 3538, hostCPUs: 2) == (200_000, 100_000))
        // Never more than the host has.
        #expect(CgroupSet.cpuQuota(memoryMB: 10240, hostCPUs: 2) == (200_000, 100_000))
    }

    @Test func launcherArgumentsCarryTheSpec() {
        let launcher = SandboxLauncher(launcherPath: "/x/swiftlet-sandbox", mode: .sandbox(root: "/data/root"))
        let spec = SandboxSpec(program: ["/usr/bin/python3", "/var/runtime/python/bootstrap.py"], environment: [("A", "1")],
                               binds: [.init("/usr", at: "/usr"), .init("/data/code/abc", at: "/var/task")],
                               symlinks: [("usr/bin", "/bin")], tmpSizeMB: 512, uid: 200_001, gid: 200_001)
        #expect(launcher.arguments(for: spec) == [
            "/x/swiftlet-sandbox", "--mode", "sandbox", "--root", "/data/root", "--hostname", "localhost", "--tmp-size", "512",
            "--bind", "/usr:/usr", "--bind", "/data/code/abc:/var/task", "--symlink", "usr/bin:/bin",
            "--uid", "200001", "--gid", "200001", "--workdir", "/var/task", "--",
            "/usr/bin/python3", "/var/runtime/python/bootstrap.py",
        ])
        let plain = SandboxLauncher(launcherPath: "/x/swiftlet-sandbox", mode: .plain)
        #expect(plain.arguments(for: spec).prefix(3) == ["/x/swiftlet-sandbox", "--mode", "plain"])
    }

    @Test func exitStatusesReadAsLambdaWordsThem() {
        #expect(ProcessExit.exited(1).runtimeExit.description == "exit status 1")
        #expect(ProcessExit.exited(137).runtimeExit.description == "signal: killed")
        #expect(ProcessExit.signaled(9).description == "signal: killed")
    }
}
