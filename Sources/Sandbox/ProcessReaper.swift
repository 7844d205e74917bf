import CSandboxSupport
import Foundation
import Synchronization

/// How a process ended.
public enum ProcessExit: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Launcher exit codes above 128 stand for a signal that ended the runtime (shell convention).
    public var runtimeExit: ProcessExit {
        if case .exited(let code) = self, code > 128, code < 128 + 65 { return .signaled(code - 128) }
        return self
    }

    /// As Lambda words it: `exit status 1`, `signal: killed`.
    public var description: String {
        switch self {
        case .exited(let code): return "exit status \(code)"
        case .signaled(let signal):
            switch signal {
            case SIGKILL: return "signal: killed"
            case SIGTERM: return "signal: terminated"
            case SIGSEGV: return "signal: segmentation fault"
            case SIGABRT: return "signal: aborted"
            default: return "signal: \(signal)"
            }
        }
    }
}

/// Waits for child processes without a thread each: one thread polls the pidfds of all watched
/// children with epoll and reaps each as it exits.
public final class ProcessReaper: Sendable {
    public static let shared = ProcessReaper()

    private struct Watch {
        let pid: pid_t
        let fd: Int32
        let done: @Sendable (ProcessExit) -> Void
    }

    private let epollFD: Int32
    private let watches = Mutex<[Int32: Watch]>([:])

    private init() {
        epollFD = swiftlet_epoll_create()
        let thread = Thread { [self] in self.loop() }
        thread.name = "swiftlet-reaper"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Calls `done` once `pid` (a child of this process) has exited and has been reaped.
    public func watch(_ pid: pid_t, done: @escaping @Sendable (ProcessExit) -> Void) {
        let fd = swiftlet_pidfd_open(pid)
        guard fd >= 0 else {
            // Already reaped or not ours: nothing to wait for.
            done(.exited(-1))
            return
        }
        watches.withLock { $0[fd] = Watch(pid: pid, fd: fd, done: done) }
        swiftlet_epoll_add(epollFD, fd)
    }

    /// Waits for `pid` to exit.
    public func wait(_ pid: pid_t) async -> ProcessExit {
        await withCheckedContinuation { continuation in
            watch(pid) { continuation.resume(returning: $0) }
        }
    }

    private func loop() {
        var ready = [Int32](repeating: -1, count: 32)
        while true {
            let n = swiftlet_epoll_wait(epollFD, &ready, Int32(ready.count))
            if n < 0 { continue }
            for i in 0..<Int(n) {
                let fd = ready[i]
                guard let watch = watches.withLock({ $0.removeValue(forKey: fd) }) else { continue }
                swiftlet_epoll_remove(epollFD, fd)
                close(fd)
                var status: Int32 = 0
                var result: pid_t
                repeat { result = waitpid(watch.pid, &status, 0) } while result < 0 && errno == EINTR
                watch.done(Self.decode(status, reaped: result == watch.pid))
            }
        }
    }

    private static func decode(_ status: Int32, reaped: Bool) -> ProcessExit {
        guard reaped else { return .exited(-1) }
        let signal = status & 0x7f
        if signal == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(signal)
    }
}
