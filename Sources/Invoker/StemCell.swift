import Foundation
import JSONText
import FunctionNetwork
import Sandbox
import Synchronization

/// A pre-started environment waiting for its function (OpenWhisk's "stem cell"): a complete sandbox (namespaces,
/// cgroups, network namespace, unprivileged uid, seccomp) whose runtime has started its interpreter and imported
/// Swiftlet's runtime client, blocked on its stdin. `Invoker.specialise` makes it one function's environment: it is
/// used once, by one function, and then belongs to that function's environment until it dies.
final class StemCell: PooledStemCell {
    /// The environment id it will have (its cgroup is `env-<id>`, its log stream is named after it).
    let id: String
    let runtime: String
    let origin: String
    let sandbox: LaunchedSandbox
    let cgroups: CgroupSet?
    let network: NetworkPool.Lease?
    /// Where `AWS_ENDPOINT_URL` reaches inside it (nil: no endpoint listener).
    let endpointPort: Int?
    /// The server's end of the runtime's stdin (a socket): the function's environment goes there, once.
    private let stdin: Mutex<Int32>
    /// The launcher's exit, relayed to whoever owns the cell when it comes.
    let exit = ExitRelay()

    /// Gives the network namespace back (once the cell is gone, unless an environment took it over).
    let releaseNetwork: @Sendable () -> Void

    init(id: String, runtime: String, origin: String, sandbox: LaunchedSandbox, cgroups: CgroupSet?, network: NetworkPool.Lease?,
         endpointPort: Int?, stdin: Int32, releaseNetwork: @escaping @Sendable () -> Void) {
        self.id = id
        self.runtime = runtime
        self.origin = origin
        self.sandbox = sandbox
        self.cgroups = cgroups
        self.network = network
        self.endpointPort = endpointPort
        self.stdin = Mutex(stdin)
        self.releaseNetwork = releaseNetwork
    }

    func claim() -> Bool { exit.replaceListenerIfRunning { _ in } }

    func whenDead(_ body: @escaping @Sendable () -> Void) {
        exit.listen { [self] _ in
            releaseUnused()
            body()
        }
    }

    /// Ends a claimed cell that did not become an environment, and frees what it held once it is gone.
    func discard() {
        terminate()
        exit.listen { [self] _ in releaseUnused() }
    }

    func waitForExit() async { await exit.wait() }

    /// Kills the cell (its exit still comes through `exit`).
    /// `{"cwd": …, "env": {…}}` and a newline: one line of JSON, whatever the values hold.
    static func environmentMessage(_ environment: [(String, String)], workdir: String) -> String {
        var text = "{\"cwd\":" + JSONTextWriter.quote(workdir) + ",\"env\":{"
        for (i, (key, value)) in environment.enumerated() {
            if i > 0 { text += "," }
            text += JSONTextWriter.quote(key) + ":" + JSONTextWriter.quote(value)
        }
        return text + "}}\n"
    }

    func terminate() {
        closeStdin()
        sandbox.kill()
        cgroups?.killAll()
    }

    /// Hands the function's environment to the waiting runtime (`bootstrap.py`'s `_await_function`), which takes it
    /// but waits for `go` before it touches the function's files. Blocking (a socket write): call it off the
    /// cooperative pool.
    func deliverEnvironment(_ environment: [(String, String)], workdir: String) throws {
        try write(Array(Self.environmentMessage(environment, workdir: workdir).utf8), flags: 0)
    }

    /// Tells the runtime that its function's code is attached and its Runtime API served: it may begin the init.
    /// Closes the socket. One byte that a socket's empty buffer always takes: written without blocking, here.
    func go() throws {
        defer { closeStdin() }
        try write([UInt8(ascii: "G")], flags: Int32(MSG_DONTWAIT))
    }

    private func write(_ bytes: [UInt8], flags: Int32) throws {
        let fd = stdin.withLock { $0 }
        guard fd >= 0 else { throw SandboxError.launchFailed("the stem cell was already used") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | flags) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SandboxError.launchFailed("writing to the stem cell: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    private func closeStdin() {
        let fd = stdin.withLock { fd -> Int32 in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { close(fd) }
    }

    /// Frees what a cell that never became an environment holds (after its exit): descriptors, network, cgroups.
    private func releaseUnused() {
        closeStdin()
        close(sandbox.control)
        close(sandbox.output)
        close(sandbox.runtimeListener)
        if sandbox.endpointListener >= 0 { close(sandbox.endpointListener) }
        releaseNetwork()
        if let cgroups { Task { await cgroups.remove() } }
    }

}

/// A process exit that may come before or after anyone listens: the first listener set gets it, once.
final class ExitRelay: Sendable {
    private struct State {
        var status: ProcessExit?
        var listener: (@Sendable (ProcessExit) -> Void)?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    var hasExited: Bool { state.withLock { $0.status != nil } }

    /// Replaces the listener unless the exit already came; false when it did.
    func replaceListenerIfRunning(_ listener: @escaping @Sendable (ProcessExit) -> Void) -> Bool {
        state.withLock { s in
            guard s.status == nil else { return false }
            s.listener = listener
            return true
        }
    }

    /// Records the exit and tells the listener, if there is one.
    func deliver(_ status: ProcessExit) {
        let (listener, waiters) = state.withLock { s -> ((@Sendable (ProcessExit) -> Void)?, [CheckedContinuation<Void, Never>]) in
            s.status = status
            defer { s.listener = nil; s.waiters.removeAll() }
            return (s.listener, s.waiters)
        }
        listener?(status)
        for waiter in waiters { waiter.resume() }
    }

    /// Waits for the exit.
    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { s -> Bool in
                if s.status != nil { return true }
                s.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Sets who hears of the exit (replacing the previous listener); told at once when it already came.
    func listen(_ listener: @escaping @Sendable (ProcessExit) -> Void) {
        let status = state.withLock { s -> ProcessExit? in
            if s.status == nil { s.listener = listener }
            return s.status
        }
        if let status { listener(status) }
    }
}
