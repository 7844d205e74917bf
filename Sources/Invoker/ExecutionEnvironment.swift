import CSandboxSupport
import Foundation
import FunctionLogs
import NIOCore
import NIOPosix
import RuntimeAPI
import Sandbox
import Synchronization

/// What one environment needs to know about the function version it runs.
struct EnvironmentSettings: Sendable {
    var functionName: String
    var version: String
    var memorySizeMB: Int
    var timeoutSeconds: Int
    var logGroup: String
    var logStream: String
    /// Longest time from launch to the runtime's first `next` (`Invoker.initTimeout(for:)`).
    var initTimeout: Duration = .seconds(10)
    /// Started to try a timed-out init again within an invocation: its own init passing `initTimeout` (the function's
    /// timeout) times the invocation out.
    var suppressedInit = false
    /// Provisioned environments are initialised before any invocation, report no `Init Duration` and are
    /// not shut down when idle.
    var provisioned = false
    /// The platform's records in the function's `LoggingConfig` (START/END/REPORT, or JSON `platform.*` records).
    var systemLogs: SystemLogFormat = .text
    /// The runtime identifier, named by `platform.initStart`.
    var runtime: String?
    /// A copy of a SnapStart template: its first REPORT says `Restore Duration` where others say `Init Duration`.
    var restored = false
}

/// The end of one invocation in an environment, with the figures for its REPORT line.
struct EnvironmentCompletion: Sendable {
    var outcome: EnvironmentOutcome
    /// START … REPORT of this invocation.
    var lines: [String]
    /// Whether the environment can take another invocation.
    var reusable: Bool
    /// Whether the runtime streamed its response (its bytes went to the invocation's sink as they came).
    var streamed = false
    /// The Content-Type the runtime declared (streaming invocations only).
    var contentType: String?
    /// When the runtime received the event, answered it, and when the invocation was finished (for traces).
    var deliveredAt: ContinuousClock.Instant?
    var answeredAt: ContinuousClock.Instant?
    var finishedAt: ContinuousClock.Instant?
    /// The environment's init passed its limit before the invocation reached it: the invocation was not run, and the
    /// invoker runs it in a new environment whose init may take the function's timeout (Lambda's suppressed init).
    var initTimedOut = false
}

/// One execution environment: a sandboxed runtime process tree, its Runtime API and its log stream.
///
/// All state sits behind one lock. Runtime API calls and output arrive on the environment's event loop
/// (`loop`); `run` is called from the invoker's tasks; the process exit comes from the reaper thread and
/// is moved onto the loop. An environment runs one invocation at a time.
final class ExecutionEnvironment: RuntimeAPIHandler, Sendable {
    enum Phase: Sendable { case initializing, idle, busy, dead }

    struct Pending: Sendable {
        var invocation: RuntimeInvocation
        var timeoutSeconds: Int
        var continuation: CheckedContinuation<EnvironmentCompletion, Never>
        var deliveredAt: ContinuousClock.Instant?
        /// When the runtime posted its response or error.
        var answeredAt: ContinuousClock.Instant?
        var lines: [String] = []
        var outcome: EnvironmentOutcome?
        var timeoutTask: Scheduled<Void>?
        /// Where a streaming invocation's response goes as it is produced; nil for a buffered invocation.
        var sink: InvocationSink?
        /// Set once the runtime began a streamed response.
        var stream: StreamedResponse?
        /// The Content-Type of a buffered response (recorded only for streaming invocations).
        var contentType: String?
    }

    struct State: Sendable {
        var phase: Phase = .initializing
        var parked: (@Sendable (RuntimeInvocation) -> Void)?
        var pending: Pending?
        var initDurationMs: Double?
        /// When the runtime first asked for an invocation.
        var initDoneAt: ContinuousClock.Instant?
        var initReported = false
        var initError: ByteBuffer?
        var exit: ProcessExit?
        var outputClosed = false
        var awaitingDrain = false
        var partialLine: [UInt8] = []
        var lastFinished: String?
        var frozen = false
        var idleTasks: [Scheduled<Void>] = []
        var cleanedUp = false
        /// Callers of `waitUntilInitialised`.
        var initWaiters: [CheckedContinuation<Bool, Never>] = []
        /// Set by `drain`: the environment goes once its current invocation is done.
        var draining = false
    }

    let id: String
    let loop: any EventLoop
    let sandbox: LaunchedSandbox
    let cgroups: CgroupSet?
    let settings: EnvironmentSettings
    let logs: LogWriter
    let createdAt: ContinuousClock.Instant
    /// How it was made, phase by phase (nil for environments made before the phases were measured).
    let coldStart: ColdStartPhases?
    /// The launcher's exit when someone else watches it (a stem cell's), else nil: `attach` asks the reaper.
    let exitRelay: ExitRelay?
    /// When `attach` finished: the runtime's own start (or a stem cell's import of the handler) follows.
    private let attachedAt = Mutex<ContinuousClock.Instant?>(nil)
    /// Called once, on the loop, when the environment has died and been cleaned up.
    let onDeath: @Sendable (ExecutionEnvironment) -> Void
    let state = Mutex(State())
    private let server = Mutex<RuntimeAPIServer?>(nil)
    private let output = Mutex<(any Channel)?>(nil)
    /// The relay of Swiftlet's endpoint inside the environment, when it has one.
    private let endpointRelay = Mutex<(any Channel)?>(nil)
    private let xrayRelay = Mutex<(any Channel)?>(nil)
    private let exited = Mutex<[CheckedContinuation<Void, Never>]>([])

    init(id: String, loop: any EventLoop, sandbox: LaunchedSandbox, cgroups: CgroupSet?, settings: EnvironmentSettings,
         logs: LogWriter, createdAt: ContinuousClock.Instant, coldStart: ColdStartPhases? = nil, exitRelay: ExitRelay? = nil,
         onDeath: @escaping @Sendable (ExecutionEnvironment) -> Void) {
        self.id = id
        self.coldStart = coldStart
        self.exitRelay = exitRelay
        self.loop = loop
        self.sandbox = sandbox
        self.cgroups = cgroups
        self.settings = settings
        self.logs = logs
        self.createdAt = createdAt
        self.onDeath = onDeath
        if settings.provisioned { state.withLock { $0.initReported = true } }
    }

    /// Waits until the runtime asked for its first invocation (true) or the environment died first (false).
    func waitUntilInitialised() async -> Bool {
        await withCheckedContinuation { continuation in
            let result = state.withLock { s -> Bool? in
                switch s.phase {
                case .initializing:
                    s.initWaiters.append(continuation)
                    return nil
                case .dead: return false
                case .idle, .busy: return true
                }
            }
            if let result { continuation.resume(returning: result) }
        }
    }

    private func resumeInitWaiters(_ initialised: Bool) {
        let waiters = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
            defer { s.initWaiters.removeAll() }
            return s.initWaiters
        }
        for waiter in waiters { waiter.resume(returning: initialised) }
    }

    /// Serves the Runtime API, reads the output pipe and watches the process. Called once after launch.
    /// Serves the Runtime API and, when the environment has one, relays its endpoint listener to `endpointTarget`;
    /// with `xrayDaemon`, relays the X-Ray daemon's address inside it there (a relay that fails is reported to
    /// `failed` and the environment goes on without it).
    func attach(endpointTarget: SocketAddress?,
                xrayDaemon: (target: SocketAddress, failed: @Sendable (any Error) -> Void)? = nil) async throws {
        writeSystemRecord(settings.systemLogs.initStart(functionName: settings.functionName, version: settings.version,
                                                        runtime: settings.runtime, initializationType: initializationType))
        // The Runtime API, the endpoint relay and the output pipe are independent channels: set up at once (each waits
        // for its registration on the loop), each kept as soon as it is up so that `terminate` closes what was.
        let (sandbox, loop) = (self.sandbox, self.loop)
        async let api: Void = {
            let api = try await RuntimeAPIServer.start(
                listeningSocket: sandbox.runtimeListener, handler: self, maxBodyBytes: Self.maxResponseBytes, group: loop)
            server.withLock { $0 = api }
        }()
        async let relay: Void = {
            guard sandbox.endpointListener >= 0 else { return }
            if let endpointTarget {
                let relay = try await EndpointRelay.start(listeningSocket: sandbox.endpointListener, target: endpointTarget, group: loop)
                endpointRelay.withLock { $0 = relay }
            } else {
                close(sandbox.endpointListener)
            }
        }()
        // Beside the others, not before them: one more await in a row costs a cold start a trip through the executor.
        async let xray: Void = {
            guard let xrayDaemon else { return }
            do {
                let relay = try await XRayDaemonRelay.start(socketInNamespace: sandbox.runtimeListener, target: xrayDaemon.target,
                                                            group: loop)
                xrayRelay.withLock { $0 = relay }
            } catch {
                xrayDaemon.failed(error)
            }
        }()
        async let pipe: Void = {
            let pipe = try await NIOPipeBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(OutputReader(environment: self))
                    }
                }
                .takingOwnershipOfDescriptor(input: sandbox.output)
                .get()
            output.withLock { $0 = pipe }
        }()
        // Every one is awaited (a failure is thrown only once all are settled, so nothing is left half set up).
        var failure: (any Error)?
        do { try await api } catch { failure = error }
        do { try await relay } catch { failure = failure ?? error }
        do { try await pipe } catch { failure = failure ?? error }
        await xray
        if let failure { throw failure }
        let exited: @Sendable (ProcessExit) -> Void = { [self] status in
            loop.execute { self.processExited(status) }
        }
        if let exitRelay { exitRelay.listen(exited) } else { ProcessReaper.shared.watch(sandbox.pid, done: exited) }
        attachedAt.withLock { $0 = .now }
        let limit = settings.initTimeout.components
        let initTimeout = loop.scheduleTask(in: .nanoseconds(limit.seconds * 1_000_000_000 + limit.attoseconds / 1_000_000_000)) { [self] in
            initTimedOut()
        }
        state.withLock { $0.idleTasks.append(initTimeout) }
    }

    /// Lambda's limit on a synchronous response, as its error message states it.
    static let maxResponseBytes = 6_291_556

    var isDead: Bool { state.withLock { $0.phase == .dead } }

    /// The cold start's phases with the runtime's init (attach → first `next`) appended, once it has asked.
    var coldStartPhases: ColdStartPhases? {
        guard var phases = coldStart, let attached = attachedAt.withLock({ $0 }),
              let done = state.withLock({ $0.initDoneAt }) else { return nil }
        phases.append("attach", attached - phases.lastMark)
        phases.append("runtime_init", done - attached)
        return phases
    }

    // MARK: Invoking

    /// Runs one invocation: delivers it to the runtime's pending `next` (now, or when the runtime asks)
    /// and waits for its response, error, timeout or the runtime's death.
    /// With a `sink`, a streamed response goes there as the runtime produces it.
    func run(_ invocation: RuntimeInvocation, timeoutSeconds: Int, sink: InvocationSink? = nil) async -> EnvironmentCompletion {
        await withCheckedContinuation { continuation in
            var deliver: (@Sendable (RuntimeInvocation) -> Void)?
            var failedInit: ByteBuffer?
            let dead = state.withLock { s -> Bool in
                guard s.phase != .dead else {
                    failedInit = s.initError
                    return true
                }
                for task in s.idleTasks where s.phase != .initializing { task.cancel() }
                if s.phase != .initializing { s.idleTasks.removeAll() }
                s.pending = Pending(invocation: invocation, timeoutSeconds: timeoutSeconds, continuation: continuation, sink: sink)
                if let parked = s.parked {
                    s.parked = nil
                    deliver = parked
                    markDelivered(&s)
                }
                if s.phase == .idle { s.phase = .busy }
                return false
            }
            if dead, let failedInit {
                // The runtime's init failed before the invocation reached it (a runtime that fails within a
                // millisecond, a specialised stem cell): the invocation gets the init error, as when it was waiting.
                continuation.resume(returning: initFailed(invocation, error: failedInit))
                return
            }
            if dead {
                continuation.resume(returning: EnvironmentCompletion(
                    outcome: .platformError(type: "Runtime.ExitError",
                                            message: "RequestId: \(invocation.requestId) Error: Runtime exited without providing a reason"),
                    lines: [], reusable: false))
                return
            }
            deliver?(invocation)
        }
    }

    /// The completion of an invocation that arrived after the runtime reported its init error: START, END and REPORT
    /// (with the init duration) as `finish` writes them, and the error.
    private func initFailed(_ invocation: RuntimeInvocation, error: ByteBuffer) -> EnvironmentCompletion {
        let outcome = EnvironmentOutcome.functionError(error, type: nil)
        let requestId = invocation.requestId
        let initMs = state.withLock { s -> Double? in
            guard !s.initReported else { return nil }
            s.initReported = true
            return s.initDurationMs ?? Self.milliseconds(ContinuousClock.now - createdAt)
        }
        var lines: [String] = []
        if let start = settings.systemLogs.start(requestId: requestId, version: settings.version) { lines.append(start) }
        lines += settings.systemLogs.end(requestId: requestId, status: outcome.systemLogStatus, durationMs: 0,
                                         memorySizeMB: settings.memorySizeMB, maxMemoryUsedMB: 0,
                                         initDurationMs: settings.restored ? nil : initMs,
                                         restoreDurationMs: settings.restored ? initMs : nil)
        let ts = LogNames.nowMs()
        logs.append(lines.map { LogEvent(group: settings.logGroup, stream: settings.logStream, timestamp: ts, message: $0) })
        return EnvironmentCompletion(outcome: outcome, lines: lines, reusable: false)
    }

    /// `AWS_LAMBDA_INITIALIZATION_TYPE` of this environment, as the platform's init records name it.
    private var initializationType: String {
        settings.restored ? "snap-start" : settings.provisioned ? "provisioned-concurrency" : "on-demand"
    }

    /// A SnapStart template said its init is over: it never asks for an invocation, so its init timer stops here.
    func templateReady() {
        state.withLock { s in
            for task in s.idleTasks { task.cancel() }
            s.idleTasks.removeAll()
        }
    }

    /// Writes one of the platform's own records (nil: the function's SystemLogLevel leaves it out) to the log stream.
    private func writeSystemRecord(_ record: String?) {
        guard let record else { return }
        logs.append(LogEvent(group: settings.logGroup, stream: settings.logStream, timestamp: LogNames.nowMs(), message: record))
    }

    /// Marks the pending invocation delivered: starts its clock, its timeout and its log.
    private func markDelivered(_ s: inout State) {
        guard var p = s.pending, p.deliveredAt == nil else { return }
        p.deliveredAt = .now
        let requestId = p.invocation.requestId
        if let start = settings.systemLogs.start(requestId: requestId, version: settings.version) {
            p.lines.append(start)
            writeSystemRecord(start)
        }
        p.timeoutTask = loop.scheduleTask(in: .seconds(Int64(p.timeoutSeconds))) { [self] in
            timedOut(requestId)
        }
        s.pending = p
    }

    // MARK: Runtime API

    func nextInvocation(_ deliver: @escaping @Sendable (RuntimeInvocation) -> Void) {
        var initialised = false
        let invocation = state.withLock { s -> RuntimeInvocation? in
            if s.phase == .initializing {
                initialised = true
                let now = ContinuousClock.now
                s.initDurationMs = Self.milliseconds(now - createdAt)
                s.initDoneAt = now
                writeSystemRecord(settings.systemLogs.initRuntimeDone(initializationType: initializationType))
                for task in s.idleTasks { task.cancel() }
                s.idleTasks.removeAll()
                s.phase = s.pending == nil ? .idle : .busy
            }
            guard s.phase != .dead else { return nil }
            if let p = s.pending, p.deliveredAt == nil {
                markDelivered(&s)
                return p.invocation
            }
            s.parked = deliver
            return nil
        }
        if initialised {
            cgroups?.limitCPU(memoryMB: settings.memorySizeMB)
            resumeInitWaiters(true)
        }
        if let invocation { deliver(invocation) }
    }

    func deliveryFailed(requestId: String) {
        // The runtime dropped its connection while we answered `next`: it is going away.
        terminate()
    }

    func invocationResponse(requestId: String, body: ByteBuffer, headers: RuntimeResponseHeaders) -> RuntimeAPIOutcome {
        answer(requestId, with: .response(body), headers: headers)
    }

    func invocationResponseTooLarge(requestId: String, limit: Int) -> RuntimeAPIOutcome {
        let outcome = answer(requestId, with: .platformError(
            type: "Function.ResponseSizeTooLarge",
            message: "Response payload size exceeded maximum allowed payload size (\(limit) bytes)."))
        return outcome == .accepted ? .payloadTooLarge(limit: limit) : outcome
    }

    func invocationError(requestId: String, errorType: String?, body: ByteBuffer) -> RuntimeAPIOutcome {
        answer(requestId, with: .functionError(Self.errorBody(body, type: errorType), type: errorType))
    }

    func initError(errorType: String?, body: ByteBuffer) -> RuntimeAPIOutcome {
        let accepted = state.withLock { s -> Bool in
            guard s.phase == .initializing || (s.phase == .busy && s.pending?.deliveredAt == nil) else { return false }
            s.initError = Self.errorBody(body, type: errorType)
            return true
        }
        guard accepted else { return .invalidStateTransition }
        // Lambda resets an environment whose init failed; the invocation waiting on it gets the init error.
        loop.execute { self.terminate() }
        return .accepted
    }

    /// A runtime that posts no error document gets one built from its error type header.
    static func errorBody(_ body: ByteBuffer, type: String?) -> ByteBuffer {
        if body.readableBytes > 0 { return body }
        let built = PlatformErrorBody(errorMessage: "", errorType: type ?? "Unhandled").encoded
        return ByteBuffer(bytes: built)
    }

    private func answer(_ requestId: String, with outcome: EnvironmentOutcome, headers: RuntimeResponseHeaders? = nil) -> RuntimeAPIOutcome {
        let result = state.withLock { s -> RuntimeAPIOutcome in
            guard var p = s.pending, p.invocation.requestId == requestId, p.deliveredAt != nil else {
                return s.lastFinished == requestId ? .invalidStateTransition : .invalidRequestId
            }
            guard p.outcome == nil, p.stream == nil else { return .invalidStateTransition }
            p.outcome = outcome
            p.answeredAt = .now
            if p.sink != nil { p.contentType = headers?.contentType }
            p.timeoutTask?.cancel()
            s.pending = p
            return .accepted
        }
        if result == .accepted { finishWhenDrained() }
        return result
    }

    /// Finishes the answered invocation once the runtime's output written before its answer has been read,
    /// so the invocation's log holds every line it printed. Runs on the loop, as the output reader does.
    func finishWhenDrained() {
        let pendingBytes = swiftlet_pipe_pending(sandbox.output)
        let wait = state.withLock { s -> Bool in
            if pendingBytes > 0 && !s.outputClosed {
                s.awaitingDrain = true
                return true
            }
            return false
        }
        if !wait { finish() }
    }

    // MARK: Output

    /// Lines the runtime printed; they go to the log stream and, during an invocation, to its tail.
    func appendOutput(_ buffer: ByteBuffer) {
        let now = LogNames.nowMs()
        var events: [LogEvent] = []
        let drained = state.withLock { s -> Bool in
            for byte in buffer.readableBytesView {
                if byte == UInt8(ascii: "\n") {
                    let line = String(decoding: s.partialLine, as: UTF8.self)
                    s.partialLine.removeAll(keepingCapacity: true)
                    events.append(LogEvent(group: settings.logGroup, stream: settings.logStream, timestamp: now, message: line))
                    if s.pending?.deliveredAt != nil { s.pending!.lines.append(line) }
                } else {
                    s.partialLine.append(byte)
                }
            }
            guard s.awaitingDrain, swiftlet_pipe_pending(sandbox.output) <= 0 else { return false }
            s.awaitingDrain = false
            return true
        }
        logs.append(events)
        if drained { finish() }
    }

    func outputClosed() {
        let finishNow = state.withLock { s -> Bool in
            s.outputClosed = true
            flushPartialLine(&s)
            let answered = s.pending?.outcome != nil
            s.awaitingDrain = false
            return answered
        }
        if finishNow { finish() }
    }

    private func flushPartialLine(_ s: inout State) {
        guard !s.partialLine.isEmpty else { return }
        let line = String(decoding: s.partialLine, as: UTF8.self)
        s.partialLine.removeAll()
        logs.append(LogEvent(group: settings.logGroup, stream: settings.logStream, timestamp: LogNames.nowMs(), message: line))
        if s.pending?.deliveredAt != nil { s.pending!.lines.append(line) }
    }

    // MARK: Ending invocations

    /// Completes the pending invocation with its outcome: END and REPORT lines, then the caller resumes.
    private func finish() {
        let peak = cgroups?.peakMemoryBytes()
        let resume = state.withLock { s -> (CheckedContinuation<EnvironmentCompletion, Never>, EnvironmentCompletion)? in
            guard var p = s.pending, let outcome = p.outcome else { return nil }
            flushPartialLine(&s)
            p = s.pending!
            let requestId = p.invocation.requestId
            let durationMs = p.deliveredAt.map { Self.milliseconds(ContinuousClock.now - $0) } ?? 0
            if p.deliveredAt == nil, let start = settings.systemLogs.start(requestId: requestId, version: settings.version) {
                p.lines.append(start)
            }
            var initMs: Double?
            if !s.initReported {
                s.initReported = true
                initMs = s.initDurationMs ?? Self.milliseconds(ContinuousClock.now - createdAt)
            }
            let usedMB = peak.map { ($0 + 1024 * 1024 - 1) / (1024 * 1024) } ?? 0
            let closing = settings.systemLogs.end(requestId: requestId, status: outcome.systemLogStatus, durationMs: durationMs,
                                                  memorySizeMB: settings.memorySizeMB,
                                                  maxMemoryUsedMB: min(usedMB, settings.memorySizeMB),
                                                  initDurationMs: settings.restored ? nil : initMs,
                                                  restoreDurationMs: settings.restored ? initMs : nil)
            p.lines.append(contentsOf: closing)
            let ts = LogNames.nowMs()
            logs.append(closing.map { LogEvent(group: settings.logGroup, stream: settings.logStream, timestamp: ts, message: $0) })
            s.pending = nil
            s.lastFinished = requestId
            s.awaitingDrain = false
            if s.phase == .busy { s.phase = .idle }
            return (p.continuation, EnvironmentCompletion(outcome: outcome, lines: p.lines, reusable: s.phase != .dead && !s.draining,
                                                          streamed: p.stream != nil, contentType: p.contentType ?? p.stream?.contentType,
                                                          deliveredAt: p.deliveredAt, answeredAt: p.answeredAt, finishedAt: .now))
        }
        if let (continuation, completion) = resume {
            continuation.resume(returning: completion)
        }
    }

    /// What the caller of an invocation that took its function's timeout gets.
    static func timedOutOutcome(requestId: String, timeoutSeconds: Int) -> EnvironmentOutcome {
        .platformError(type: "Sandbox.Timedout",
                       message: "RequestId: \(requestId) Error: Task timed out after \(String(format: "%.2f", Double(timeoutSeconds))) seconds")
    }

    private func timedOut(_ requestId: String) {
        let hit = state.withLock { s -> Bool in
            guard var p = s.pending, p.invocation.requestId == requestId, p.outcome == nil else { return false }
            let line = PlatformLines.timedOut(requestId: requestId, timeoutSeconds: p.timeoutSeconds)
            p.lines.append(line)
            logs.append(LogEvent(group: settings.logGroup, stream: settings.logStream, timestamp: LogNames.nowMs(), message: line))
            p.outcome = Self.timedOutOutcome(requestId: requestId, timeoutSeconds: p.timeoutSeconds)
            s.pending = p
            s.phase = .dead
            return true
        }
        guard hit else { return }
        terminate()
        finish()
    }

    /// The init passed `settings.initTimeout`: the environment is ended, and an invocation waiting for it comes back
    /// unrun (`initTimedOut`) for the invoker to run in a new environment, as Lambda retries a timed-out init in
    /// the invoke phase. `INIT_REPORT … Status: timeout` goes to the log stream.
    private func initTimedOut() {
        let resume = state.withLock { s -> (CheckedContinuation<EnvironmentCompletion, Never>, EnvironmentCompletion)? in
            guard s.phase == .initializing else { return nil }
            s.phase = .dead
            s.parked = nil
            if settings.systemLogs == .text {
                let line = PlatformLines.initReport(durationMs: Self.milliseconds(ContinuousClock.now - createdAt), phase: "init",
                                                    status: "timeout")
                logs.append(LogEvent(group: settings.logGroup, stream: settings.logStream, timestamp: LogNames.nowMs(), message: line))
            }
            guard var p = s.pending, p.outcome == nil, p.deliveredAt == nil else { return nil }
            let requestId = p.invocation.requestId
            if settings.suppressedInit {
                // The retried init took the function's timeout: the invocation times out (finished below, with its REPORT;
                // its duration counts from this environment's start, as the retried init is part of the invocation).
                var lines: [String] = []
                if let start = settings.systemLogs.start(requestId: requestId, version: settings.version) { lines.append(start) }
                lines.append(PlatformLines.timedOut(requestId: requestId, timeoutSeconds: p.timeoutSeconds))
                p.lines += lines
                p.deliveredAt = createdAt
                let ts = LogNames.nowMs()
                logs.append(lines.map { LogEvent(group: settings.logGroup, stream: settings.logStream, timestamp: ts, message: $0) })
                p.outcome = Self.timedOutOutcome(requestId: requestId, timeoutSeconds: p.timeoutSeconds)
                s.pending = p
                return nil
            }
            s.pending = nil
            return (p.continuation, EnvironmentCompletion(
                outcome: .platformError(type: "Runtime.ExitError",
                                        message: "RequestId: \(requestId) Error: Runtime exited with error: signal: killed"),
                lines: [], reusable: false, initTimedOut: true))
        }
        terminate()
        if let (continuation, completion) = resume { continuation.resume(returning: completion) } else { finish() }
    }

    /// The launcher exited: the runtime and everything it started are gone.
    private func processExited(_ status: ProcessExit) {
        defer { resumeInitWaiters(false) }
        let oom = (cgroups?.oomKills() ?? 0) > 0
        let finishNow = state.withLock { s -> Bool in
            s.exit = status
            s.phase = .dead
            s.parked = nil
            guard var p = s.pending else { return false }
            if p.outcome == nil {
                let requestId = p.invocation.requestId
                let exit = status.runtimeExit
                if let initError = s.initError {
                    p.outcome = .functionError(initError, type: nil)
                } else if oom {
                    p.outcome = .platformError(type: "Runtime.OutOfMemory",
                                               message: "RequestId: \(requestId) Error: Runtime exited with error: signal: killed")
                } else if case .exited(125) = status {
                    p.outcome = .platformError(type: "Runtime.ExitError",
                                               message: "RequestId: \(requestId) Error: the execution environment could not be set up")
                } else {
                    p.outcome = .platformError(type: "Runtime.ExitError",
                                               message: "RequestId: \(requestId) Error: Runtime exited with error: \(exit)")
                }
                if case .platformError(let type, let message) = p.outcome! {
                    for line in [message, type] {
                        if p.deliveredAt != nil { p.lines.append(line) }
                        logs.append(LogEvent(group: settings.logGroup, stream: settings.logStream, timestamp: LogNames.nowMs(), message: line))
                    }
                }
                s.pending = p
            }
            return s.outputClosed
        }
        if finishNow {
            finish()
        } else {
            // Give the pipe a moment to deliver what the runtime printed before it died.
            loop.scheduleTask(in: .milliseconds(200)) { [self] in finish() }
        }
        cleanUp()
    }

    // MARK: Lifecycle

    /// Kills the environment's process tree (frozen or not). Its exit is reported through `processExited`.
    func terminate() {
        state.withLock { $0.phase = .dead }
        resumeInitWaiters(false)
        sandbox.kill()
        cgroups?.killAll()
    }

    /// Waits until the environment has exited and been cleaned up.
    func waitForExit() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { $0.cleanedUp }
            if done { continuation.resume() } else { exited.withLock { $0.append(continuation) } }
        }
    }

    private func cleanUp() {
        let first = state.withLock { s -> Bool in
            guard !s.cleanedUp else { return false }
            s.cleanedUp = true
            for task in s.idleTasks { task.cancel() }
            s.idleTasks.removeAll()
            return true
        }
        guard first else { return }
        server.withLock { $0?.close() }
        endpointRelay.withLock { $0?.close(promise: nil) }
        xrayRelay.withLock { $0?.close(promise: nil) }
        close(sandbox.control)
        if let cgroups { Task { await cgroups.remove() } }
        onDeath(self)
        for continuation in exited.withLock({ list -> [CheckedContinuation<Void, Never>] in
            let all = list
            list.removeAll()
            return all
        }) {
            continuation.resume()
        }
    }

    /// After an invocation: freeze after `grace` and shut down after `idleTimeout` unless used again.
    func scheduleIdle(freezeAfter grace: Duration?, shutDownAfter idleTimeout: Duration) {
        state.withLock { s in
            guard s.phase == .idle else { return }
            if let grace, cgroups != nil {
                s.idleTasks.append(loop.scheduleTask(in: Self.timeAmount(grace)) { [self] in freezeIfIdle() })
            }
            guard !settings.provisioned else { return }
            s.idleTasks.append(loop.scheduleTask(in: Self.timeAmount(idleTimeout)) { [self] in
                let idle = state.withLock { $0.phase == .idle && $0.pending == nil }
                if idle { terminate() }
            })
        }
    }

    /// Freezes an environment still idle. The cgroup write happens under the state lock, so it cannot
    /// interleave with `claimForInvocation`'s thaw.
    private func freezeIfIdle() {
        state.withLock { s in
            guard s.phase == .idle, s.pending == nil, s.parked != nil, !s.frozen else { return }
            s.frozen = true
            cgroups?.freeze()
        }
    }

    /// Takes an idle environment for an invocation: stops its idle timers (so a freeze due now cannot
    /// land after this) and thaws it if it was frozen.
    func claimForInvocation() {
        state.withLock { s in
            for task in s.idleTasks { task.cancel() }
            s.idleTasks.removeAll()
            if s.phase == .idle { s.phase = .busy }
            if s.frozen {
                s.frozen = false
                cgroups?.thaw()
            }
        }
    }

    var isFrozen: Bool { state.withLock { $0.frozen } }

    /// Shuts the environment down now when idle, else after the invocation it is running.
    func drain() {
        let idle = state.withLock { s -> Bool in
            s.draining = true
            return s.phase == .idle && s.pending == nil
        }
        if idle { terminate() }
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        .nanoseconds(d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000)
    }
}

/// Feeds the runtime's stdout/stderr pipe into its environment.
final class OutputReader: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let environment: ExecutionEnvironment

    init(environment: ExecutionEnvironment) {
        self.environment = environment
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        environment.appendOutput(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        environment.outputClosed()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            environment.outputClosed()
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

extension EnvironmentOutcome {
    /// The status the platform's JSON records give an invocation that ended so.
    var systemLogStatus: SystemLogFormat.Status {
        switch self {
        case .response: return .success
        case .functionError(_, let type): return .error(type: type)
        case .platformError(let type, _): return type == "Sandbox.Timedout" ? .timeout : .error(type: type)
        }
    }
}
