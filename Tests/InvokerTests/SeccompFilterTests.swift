import Foundation
import Testing

/// The launcher's seccomp program, read with `swiftlet-sandbox --print-seccomp-filter` and run by a small classic-BPF
/// interpreter over table-driven system calls: the jump offsets, syscall numbers and argument checks are what the
/// kernel will run, without needing root or a sandbox.
@Suite struct SeccompFilterTests {
    static let allow: UInt32 = 0x7fff_0000
    static let killProcess: UInt32 = 0x8000_0000
    static let eperm: UInt32 = 0x0005_0000 | UInt32(EPERM)
    static let enosys: UInt32 = 0x0005_0000 | UInt32(ENOSYS)

    #if arch(x86_64)
    static let arch: UInt32 = 0xC000_003E
    static let nr = (read: 0, getpid: 39, clone: 56, unshare: 272, personality: 135, clone3: 435, mount: 165, umount2: 166,
                     ptrace: 101, bpf: 321, keyctl: 250, perfEventOpen: 298, setns: 308, kexecLoad: 246, initModule: 175)
    #elseif arch(arm64)
    static let arch: UInt32 = 0xC000_00B7
    static let nr = (read: 63, getpid: 172, clone: 220, unshare: 97, personality: 92, clone3: 435, mount: 40, umount2: 39,
                     ptrace: 117, bpf: 280, keyctl: 219, perfEventOpen: 241, setns: 268, kexecLoad: 104, initModule: 105)
    #endif

    struct Instruction {
        let code: UInt16, jt: UInt8, jf: UInt8, k: UInt32
    }

    /// The launcher built next to this test executable.
    static func program(template: Bool = false) throws -> [Instruction] {
        let dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let launcher = ProcessInfo.processInfo.environment["SWIFTLET_SANDBOX_LAUNCHER"]
            ?? dir.appendingPathComponent("swiftlet-sandbox").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher)
        process.arguments = ["--print-seccomp-filter"] + (template ? ["template"] : [])
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(data.count % 8 == 0 && data.count > 0)
        return stride(from: 0, to: data.count - data.count % 8, by: 8).map { i in
            let b = [UInt8](data[i..<i + 8])
            return Instruction(code: UInt16(b[0]) | UInt16(b[1]) << 8, jt: b[2], jf: b[3],
                               k: UInt32(b[4]) | UInt32(b[5]) << 8 | UInt32(b[6]) << 16 | UInt32(b[7]) << 24)
        }
    }

    /// Runs `program` on one system call as the kernel would: the action, and whether an argument was read.
    static func run(_ program: [Instruction], nr: Int, arch: UInt32 = Self.arch, arg0: UInt64 = 0) -> (UInt32, readsArguments: Bool)? {
        // struct seccomp_data: nr, arch, instruction_pointer, args[6], little-endian words.
        var words = [UInt32](repeating: 0, count: 16)
        words[0] = UInt32(truncatingIfNeeded: nr)
        words[1] = arch
        words[4] = UInt32(truncatingIfNeeded: arg0)
        words[5] = UInt32(truncatingIfNeeded: arg0 >> 32)
        var a: UInt32 = 0
        var pc = 0
        var readsArguments = false
        while pc < program.count {
            let i = program[pc]
            switch i.code {
            case 0x20: // BPF_LD | BPF_W | BPF_ABS
                guard i.k % 4 == 0, Int(i.k / 4) < words.count else { return nil }
                if i.k >= 16 { readsArguments = true }
                a = words[Int(i.k / 4)]
                pc += 1
            case 0x15: // BPF_JMP | BPF_JEQ | BPF_K
                pc += 1 + Int(a == i.k ? i.jt : i.jf)
            case 0x45: // BPF_JMP | BPF_JSET | BPF_K
                pc += 1 + Int(a & i.k != 0 ? i.jt : i.jf)
            case 0x05: // BPF_JMP | BPF_JA
                pc += 1 + Int(i.k)
            case 0x06: // BPF_RET | BPF_K
                return (i.k, readsArguments)
            default:
                return nil
            }
        }
        return nil
    }

    @Test func deniesWhatAFunctionHasNoUseFor() throws {
        let program = try Self.program()
        let n = Self.nr
        let cases: [(String, Int, UInt64, UInt32)] = [
            ("read", n.read, 0, Self.allow),
            ("getpid", n.getpid, 0, Self.allow),
            ("fork-like clone", n.clone, UInt64(SIGCHLD), Self.allow),
            ("thread clone", n.clone, 0x003d_0f00, Self.allow),
            ("clone into a user namespace", n.clone, 0x1000_0000 | UInt64(SIGCHLD), Self.eperm),
            ("clone into a network namespace", n.clone, 0x4000_0000, Self.eperm),
            ("clone3", n.clone3, 0, Self.enosys),
            ("unshare(CLONE_NEWUSER)", n.unshare, 0x1000_0000, Self.eperm),
            ("unshare(CLONE_NEWNS)", n.unshare, 0x0002_0000, Self.eperm),
            ("unshare(CLONE_NEWTIME)", n.unshare, 0x80, Self.eperm),
            ("unshare(CLONE_FILES)", n.unshare, 0x400, Self.allow),
            ("unshare with high bits set", n.unshare, 0xffff_ffff_0000_0400, Self.allow),
            ("personality query", n.personality, 0xffff_ffff, Self.allow),
            ("personality PER_LINUX", n.personality, 0, Self.allow),
            ("personality ADDR_NO_RANDOMIZE", n.personality, 0x0004_0000, Self.eperm),
            ("mount", n.mount, 0, Self.eperm),
            ("umount2", n.umount2, 0, Self.eperm),
            ("setns", n.setns, 0, Self.eperm),
            ("ptrace", n.ptrace, 16, Self.eperm),
            ("bpf", n.bpf, 0, Self.eperm),
            ("keyctl", n.keyctl, 0, Self.eperm),
            ("perf_event_open", n.perfEventOpen, 0, Self.eperm),
            ("kexec_load", n.kexecLoad, 0, Self.eperm),
            ("init_module", n.initModule, 0, Self.eperm),
            ("a number from the future", 999, 0, Self.allow),
        ]
        for (what, nr, arg0, expected) in cases {
            #expect(Self.run(program, nr: nr, arg0: arg0)?.0 == expected, "\(what)")
        }
    }

    /// A SnapStart template's filter differs in one call: the unshare its copy makes (a user namespace owning new
    /// mount, network, UTS, IPC and PID namespaces), with exactly those flags.
    @Test func aTemplateMayMakeACopysNamespacesAndNothingElse() throws {
        let template = try Self.program(template: true)
        let functions = try Self.program()
        let n = Self.nr
        let copy: UInt64 = 0x1000_0000 | 0x0002_0000 | 0x4000_0000 | 0x0400_0000 | 0x0800_0000 | 0x2000_0000
        #expect(Self.run(template, nr: n.unshare, arg0: copy)?.0 == Self.allow)
        #expect(Self.run(functions, nr: n.unshare, arg0: copy)?.0 == Self.eperm)
        let others: [UInt64] = [0x1000_0000, 0x1000_0000 | 0x0002_0000, copy | 0x0200_0000 /* NEWCGROUP */, copy | 0x80,
                                copy & ~0x2000_0000]
        for flags in others {
            #expect(Self.run(template, nr: n.unshare, arg0: flags)?.0 == Self.eperm, "unshare \(String(flags, radix: 16))")
        }
        #expect(Self.run(template, nr: n.clone, arg0: 0x1000_0000 | UInt64(SIGCHLD))?.0 == Self.eperm)
        for nr in 0..<512 where nr != n.unshare {
            #expect(Self.run(template, nr: nr)?.0 == Self.run(functions, nr: nr)?.0, "syscall \(nr)")
        }
    }

    @Test func anotherArchitectureIsKilled() throws {
        let program = try Self.program()
        let i386: UInt32 = 0x4000_0003
        #expect(Self.run(program, nr: 0, arch: i386)?.0 == Self.killProcess)
        #if arch(x86_64)
        // x32 calls carry x86_64's architecture and bit 30 in the number.
        #expect(Self.run(program, nr: 0x4000_0000 + Self.nr.read)?.0 == Self.eperm)
        #endif
    }

    /// Only clone, unshare and personality look at an argument, so the kernel caches every other call as allowed
    /// (or denied) and skips the filter for it: the warm path pays nothing.
    @Test func onlyThreeCallsReadAnArgument() throws {
        let program = try Self.program()
        let n = Self.nr
        for nr in 0..<512 {
            guard let (_, reads) = Self.run(program, nr: nr) else {
                Issue.record("the program did not end with a return for \(nr)")
                continue
            }
            #expect(reads == [n.clone, n.unshare, n.personality].contains(nr), "syscall \(nr)")
        }
    }
}
