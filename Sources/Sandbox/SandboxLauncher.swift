import CSandboxSupport
import Foundation

/// A started environment as the server holds it: the launcher's pid, its control socket, the
/// runtime's merged stdout/stderr, and the listening socket of the environment's Runtime API.
public struct LaunchedSandbox: Sendable {
    /// The launcher (outside the environment's namespaces); it exits with the runtime's exit code.
    public let pid: pid_t
    /// Closing it kills the whole environment.
    public let control: Int32
    /// Read end of the runtime's stdout and stderr.
    public let output: Int32
    /// Listening socket inside the environment's network namespace (or on host loopback in plain mode).
    public let runtimeListener: Int32
    public let runtimePort: Int
    /// Listening socket of Swiftlet's endpoint inside the environment (`SandboxSpec.endpointPort`), or -1.
    public let endpointListener: Int32

    /// Asks the launcher to kill the environment (closing the control socket has the same effect).
    public func kill() {
        _ = "K".withCString { Glibc.write(control, $0, 1) }
    }

    /// Specialises a stem cell: the launcher attaches `code` at `/var/task` and `layers` at `/opt` (read-only) and a
    /// fresh `/tmp` of `tmpSizeMB` inside the environment's mount namespace, and says when it is done. Blocking: call
    /// it off the cooperative pool, before anything else reads the control socket.
    public func specialise(code: String, layers: String, tmpSizeMB: Int, timeout: Duration = .seconds(5)) throws {
        guard !code.contains("\t"), !code.contains("\n"), !layers.contains("\t"), !layers.contains("\n") else {
            throw SandboxError.launchFailed("a path with a tab or newline cannot be attached")
        }
        let request = Array("S\(code)\t\(layers)\t\(tmpSizeMB)\n".utf8)
        let written = request.withUnsafeBytes { Glibc.send(control, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard written == request.count else {
            throw SandboxError.launchFailed("the stem cell's launcher is gone: \(String(cString: strerror(errno)))")
        }
        var reply: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while reply.last != UInt8(ascii: "\n") {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw SandboxError.launchFailed("the launcher did not specialise the stem cell within \(timeout)") }
            var pfd = pollfd(fd: control, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            var byte: UInt8 = 0
            let n = Glibc.read(control, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { throw SandboxError.launchFailed("the stem cell ended before it was specialised") }
            reply.append(byte)
        }
        let text = String(decoding: reply.dropLast(), as: UTF8.self)
        guard text == "A" else { throw SandboxError.launchFailed(text.hasPrefix("E ") ? String(text.dropFirst(2)) : text) }
    }
}

extension LaunchedSandbox {
    /// A SnapStart template's copy is asked for: a socket pair whose one end goes to the template's runtime (through
    /// its launcher) and whose other end is returned, for the copy's launcher as its stdin.
    public func requestCopy() throws -> Int32 {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw SandboxError.launchFailed("socketpair: \(String(cString: strerror(errno)))")
        }
        defer { close(pair[1]) }
        guard swiftlet_send_fd(control, CChar(UInt8(ascii: "C")), pair[1]) == 0 else {
            close(pair[0])
            throw SandboxError.launchFailed("the template's launcher is gone: \(String(cString: strerror(errno)))")
        }
        return pair[0]
    }

    /// Gives a SnapStart copy its environment (`G<length>\n` and NUL-separated `NAME=VALUE` entries on the control
    /// socket; its launcher passes them to the waiting runtime). Blocking: call it off the cooperative pool.
    public func sendEnvironment(_ environment: [(String, String)]) throws {
        var blob: [UInt8] = []
        for (name, value) in environment {
            guard !name.utf8.contains(0), !value.utf8.contains(0) else {
                throw SandboxError.launchFailed("an environment variable holds a NUL character")
            }
            blob += Array(name.utf8) + [UInt8(ascii: "=")] + Array(value.utf8) + [0]
        }
        let message = Array("G\(blob.count)\n".utf8) + blob
        var offset = 0
        while offset < message.count {
            let n = message[offset...].withUnsafeBytes { Glibc.send(control, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw SandboxError.launchFailed("the copy's launcher is gone: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// Reads what a template's launcher says on its control socket, a line at a time, from `socket` (a `dup` of
    /// `control` the reader owns, so that the environment closing its own cannot pull it away mid-read): "T" once the
    /// runtime is initialised and forks copies, "X" once it is gone. Nil at the socket's end or after `timeout`
    /// (blocking: call it off the cooperative pool; one reader at a time).
    public static func templateMessage(_ socket: Int32, timeout: Duration?) -> String? {
        let control = socket
        var line: [UInt8] = []
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            var ms: Int32 = -1
            if let deadline {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { return nil }
                ms = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            }
            var pfd = pollfd(fd: control, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, ms)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { if ready < 0 { return nil } else { continue } }
            var byte: UInt8 = 0
            let n = Glibc.read(control, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }
}

/// Starts environments through the `swiftlet-sandbox` launcher.
public struct SandboxLauncher: Sendable {
    public let launcherPath: String
    public let mode: IsolationMode

    public init(launcherPath: String, mode: IsolationMode) {
        self.launcherPath = launcherPath
        self.mode = mode
    }

    /// The launcher's argv for `spec`.
    public func arguments(for spec: SandboxSpec) -> [String] {
        var args = [launcherPath]
        switch mode {
        case .sandbox(let root):
            args += ["--mode", "sandbox", "--root", root, "--hostname", spec.hostname, "--tmp-size", "\(spec.tmpSizeMB)"]
            for bind in spec.binds {
                args += [bind.writable ? "--bind-rw" : "--bind", "\(bind.source):\(bind.destination)"]
            }
            for (target, link) in spec.symlinks {
                args += ["--symlink", "\(target):\(link)"]
            }
            args += ["--uid", "\(spec.uid)", "--gid", "\(spec.gid)"]
            if let port = spec.endpointPort { args += ["--endpoint-port", "\(port)"] }
            if let netns = spec.networkNamespace { args += ["--netns", netns] }
            if spec.stemCell { args += ["--stem-cell", "1"] }
            if spec.template { args += ["--template", "1"] }
            if spec.copy { args += ["--copy", "1"] }
        case .plain:
            args += ["--mode", "plain"]
        }
        for dir in spec.cgroups?.joinPaths ?? [] {
            args += ["--cgroup", dir]
        }
        args += ["--workdir", spec.workdir, "--"]
        return args + spec.program
    }

    /// Spawns the launcher and waits (up to `timeout`) for it to hand over the Runtime API listener. The runtime's
    /// stdin is `stdin` (a stem cell's specialisation pipe; the launcher gets a copy and the caller keeps its own),
    /// else `/dev/null`. Blocking: call it off the cooperative pool.
    public func launch(_ spec: SandboxSpec, stdin: Int32? = nil, timeout: Duration = .seconds(10)) throws -> LaunchedSandbox {
        var control: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &control) == 0 else {
            throw SandboxError.launchFailed("socketpair: \(String(cString: strerror(errno)))")
        }
        var output: [Int32] = [-1, -1]
        guard swiftlet_pipe_cloexec(&output) == 0 else {
            close(control[0]); close(control[1])
            throw SandboxError.launchFailed("pipe: \(String(cString: strerror(errno)))")
        }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer {
            close(control[1]); close(output[1])
            if devNull >= 0 { close(devNull) }
        }

        let argv = arguments(for: spec)
        let envp = spec.environment.map { "\($0.0)=\($0.1)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in
                swiftlet_spawn(launcherPath, cArgv, cEnvp, stdin ?? devNull, output[1], output[1], control[1], &pid)
            }
        }
        guard rc == 0 else {
            close(control[0]); close(output[0])
            throw SandboxError.launchFailed("spawn \(launcherPath): \(String(cString: strerror(rc)))")
        }

        do {
            let (port, listener, endpoint) = try receiveListeners(control[0], timeout: timeout)
            return LaunchedSandbox(pid: pid, control: control[0], output: output[0], runtimeListener: listener, runtimePort: port,
                                   endpointListener: endpoint)
        } catch {
            Glibc.kill(pid, SIGKILL)
            close(control[0]); close(output[0])
            ProcessReaper.shared.watch(pid) { _ in }
            throw error
        }
    }

    /// Reads the launcher's `L <runtime port> <endpoint port>` line with the listening sockets (the endpoint's, -1
    /// when there is none), or its `E <reason>` line.
    private func receiveListeners(_ socket: Int32, timeout: Duration) throws -> (Int, Int32, Int32) {
        var pfd = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ms = Int32(timeout.components.seconds * 1000)
        var ready: Int32
        repeat { ready = poll(&pfd, 1, ms) } while ready < 0 && errno == EINTR
        guard ready > 0 else { throw SandboxError.launchFailed("the launcher did not start within \(timeout)") }
        var buffer = [CChar](repeating: 0, count: 512)
        var length = 0
        var fds: [Int32] = [-1, -1]
        var count: Int32 = 0
        let rc = buffer.withUnsafeMutableBufferPointer { b in
            fds.withUnsafeMutableBufferPointer { swiftlet_recv_fds(socket, b.baseAddress, b.count, &length, $0.baseAddress, 2, &count) }
        }
        guard rc == 0, length > 0 else {
            throw SandboxError.launchFailed(rc == 0 ? "the launcher exited before it started the environment" : String(cString: strerror(errno)))
        }
        let text = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = text.split(separator: "\n").first?.split(separator: " ") ?? []
        if fields.first == "L", fields.count >= 2, let port = Int(fields[1]), count >= 1 {
            let endpointPort = fields.count >= 3 ? Int(fields[2]) ?? 0 : 0
            return (port, fds[0], endpointPort > 0 && count >= 2 ? fds[1] : -1)
        }
        for i in 0..<Int(count) { close(fds[i]) }
        throw SandboxError.launchFailed(text.hasPrefix("E ") ? String(text.dropFirst(2)) : text)
    }
}

/// Calls `body` with a NULL-terminated C array of `strings`.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
