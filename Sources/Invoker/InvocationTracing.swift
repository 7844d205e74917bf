import Foundation
import NIOCore
import Sandbox
import Synchronization

/// The X-Ray context one invocation runs under: the trace it belongs to, the id of the function's segment (the
/// `Parent` the function sees in `_X_AMZN_TRACE_ID`), the caller's segment when its header named one, and whether
/// the trace is sampled.
public struct InvocationTraceContext: Sendable, Equatable {
    public var root: String
    /// The `AWS::Lambda::Function` segment's id: what the function's own segments nest under.
    public var parent: String
    /// The `Parent` of the caller's header: the `AWS::Lambda` segment's parent.
    public var incomingParent: String?
    public var sampled: Bool

    public init(root: String, parent: String, incomingParent: String? = nil, sampled: Bool) {
        self.root = root
        self.parent = parent
        self.incomingParent = incomingParent
        self.sampled = sampled
    }

    /// `Root=…;Parent=…;Sampled=0|1`, as `Lambda-Runtime-Trace-Id` and `_X_AMZN_TRACE_ID` carry it.
    public var header: String { "Root=\(root);Parent=\(parent);Sampled=\(sampled ? 1 : 0)" }
}

/// What the invoker tells a tracer about one sampled invocation once it has ended. Times are seconds since 1970.
public struct InvocationTraceFacts: Sendable {
    public var context: InvocationTraceContext
    public var functionName: String
    public var version: String
    public var invokedFunctionArn: String
    public var requestId: String
    /// When the invoker took the request (the `AWS::Lambda` segment's start).
    public var received: Double
    /// An asynchronous event's: when it was queued and which attempt this is.
    public var queuedAt: Double?
    public var attempt: Int?
    /// The environment's initialisation, when this invocation started it (a cold start).
    public var initStart: Double?
    public var initEnd: Double?
    /// When the runtime received the event and when it answered; nil when it never got that far.
    public var invocationStart: Double?
    public var invocationEnd: Double?
    /// When the platform was done with the invocation (the end of both segments).
    public var finished: Double
    /// The error type of a function error (`Unhandled` when the runtime named none); nil when it succeeded.
    public var functionError: String?
    /// Whether the platform ended it (timeout, crash, an environment that could not start).
    public var platformError: Bool

    public init(context: InvocationTraceContext, functionName: String, version: String, invokedFunctionArn: String,
                requestId: String, received: Double, initStart: Double? = nil, initEnd: Double? = nil,
                invocationStart: Double? = nil, invocationEnd: Double? = nil, finished: Double,
                functionError: String? = nil, platformError: Bool = false) {
        self.context = context
        self.functionName = functionName
        self.version = version
        self.invokedFunctionArn = invokedFunctionArn
        self.requestId = requestId
        self.received = received
        self.initStart = initStart
        self.initEnd = initEnd
        self.invocationStart = invocationStart
        self.invocationEnd = invocationEnd
        self.finished = finished
        self.functionError = functionError
        self.platformError = platformError
    }
}

/// Receives the facts of sampled invocations (the trace service turns them into Lambda's segments). Called on the
/// invocation's path: it must only hand them over, not write them.
public protocol InvocationTracer: Sendable {
    func record(_ facts: InvocationTraceFacts)
}

/// The invoker's tracing hooks, set once while the server is wired: who gets sampled invocations, and the X-Ray
/// daemon address plain-process environments get as `AWS_XRAY_DAEMON_ADDRESS`.
final class InvocationTracing: Sendable {
    private let state = Mutex<(tracer: (any InvocationTracer)?, daemon: (host: String, port: Int)?)>((nil, nil))

    var tracer: (any InvocationTracer)? { state.withLock { $0.tracer } }
    var daemon: (host: String, port: Int)? { state.withLock { $0.daemon } }

    func set(tracer: any InvocationTracer, daemon: (host: String, port: Int)?) {
        state.withLock { $0 = (tracer, daemon) }
    }
}

extension Invoker {
    /// Sends the facts of every sampled invocation to `tracer`; environments started from now on in plain-process
    /// isolation reach the X-Ray daemon at `daemon` (sandboxed ones keep Lambda's unreachable link-local default).
    public func trace(with tracer: any InvocationTracer, daemon: (host: String, port: Int)?) {
        tracing.set(tracer: tracer, daemon: daemon)
    }

    /// The trace context of an invocation: a valid `incoming` header's `Root` and `Parent` are kept and its
    /// `Sampled=0|1` decision honoured; otherwise the function's tracing mode decides (sampled when `active`).
    /// The function's `Parent` is always new.
    static func traceContext(continuing incoming: String?, active: Bool) -> InvocationTraceContext {
        let parsed = incoming.flatMap(parseTraceHeader)
        let root = parsed?.root ?? newTraceRoot()
        let sampled = parsed?.sampled ?? active
        // Random hex without UUID strings (their Foundation bridging showed up on the invoke path's profile).
        let parent = hex(UInt64.random(in: 0...UInt64.max), digits: 16)
        let incomingParent = sampled && parsed != nil ? incoming.flatMap(parentOfTraceHeader) : nil
        return InvocationTraceContext(root: root, parent: parent, incomingParent: incomingParent, sampled: sampled)
    }

    /// `spec` with `AWS_XRAY_DAEMON_ADDRESS` (and the SDKs' `_AWS_XRAY_DAEMON_ADDRESS`/`_PORT`) pointing at the
    /// platform's X-Ray daemon, in plain-process isolation where the environment shares the host's loopback. A
    /// function's own variables still win.
    func withXRayDaemon(_ spec: SandboxSpec) -> SandboxSpec {
        guard var daemon = tracing.daemon else { return spec }
        // Inside a sandbox the relay listens on the environment's own loopback, at Lambda's port.
        if host.isSandboxed { daemon = ("127.0.0.1", Int(XRayDaemonRelay.insidePort)) }
        var spec = spec
        let replacements = [("AWS_XRAY_DAEMON_ADDRESS", "\(daemon.host):\(daemon.port)"),
                            ("_AWS_XRAY_DAEMON_ADDRESS", daemon.host), ("_AWS_XRAY_DAEMON_PORT", "\(daemon.port)")]
        for (key, value) in replacements {
            guard let index = spec.environment.firstIndex(where: { $0.0 == key }),
                  spec.environment[index].1 == Self.lambdaDaemonDefaults[key] else { continue }
            spec.environment[index].1 = value
        }
        return spec
    }

    /// Where a sandboxed environment's X-Ray daemon address is relayed (`ExecutionEnvironment.attach`); nil in
    /// plain-process isolation or without a daemon. A relay that could not be made loses the function's datagrams,
    /// as with no daemon.
    func xrayDaemonTarget() -> SocketAddress? {
        guard host.isSandboxed, let daemon = tracing.daemon else { return nil }
        return try? SocketAddress(ipAddress: daemon.host, port: daemon.port)
    }

    /// What Lambda sets (and `EnvironmentHost` copies): a function that sets its own keeps it.
    static let lambdaDaemonDefaults = ["AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
                                       "_AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129", "_AWS_XRAY_DAEMON_PORT": "2000"]

    /// The `Parent` field of a header, when it is 16 hex digits.
    static func parentOfTraceHeader(_ header: String) -> String? {
        for field in header.split(separator: ";") {
            let pair = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "parent" else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            return value.count == 16 && value.allSatisfy(\.isHexDigit) ? value.lowercased() : nil
        }
        return nil
    }

    /// Hands the facts of a sampled invocation to the tracer: `received` is when the invoker took it, `env` where it
    /// ran (nil when none could start), `completion` how it ended there.
    func recordTrace(_ context: InvocationTraceContext, _ request: InvocationRequest, received: ContinuousClock.Instant,
                     env: ExecutionEnvironment?, completion: EnvironmentCompletion?, failed: Bool = false) {
        guard let tracer = tracing.tracer else { return }
        let nowInstant = ContinuousClock.now
        let nowWall = Date().timeIntervalSince1970
        func wall(_ instant: ContinuousClock.Instant) -> Double { nowWall - (nowInstant - instant).seconds }
        var facts = InvocationTraceFacts(
            context: context, functionName: request.function.name, version: request.version,
            invokedFunctionArn: request.invokedFunctionArn, requestId: request.requestId, received: wall(received),
            finished: nowWall)
        facts.queuedAt = request.queuedAt
        facts.attempt = request.attempt
        if let env, env.createdAt >= received {
            let initMs = env.state.withLock { $0.initDurationMs }
            facts.initStart = wall(env.createdAt)
            facts.initEnd = initMs.map { wall(env.createdAt) + $0 / 1000 } ?? completion?.deliveredAt.map(wall)
        }
        if let completion {
            facts.invocationStart = completion.deliveredAt.map(wall)
            facts.invocationEnd = (completion.answeredAt ?? completion.finishedAt).map(wall)
            switch completion.outcome {
            case .response: break
            case .functionError(_, let type): facts.functionError = type ?? "Unhandled"
            case .platformError: facts.platformError = true
            }
        }
        if failed { facts.functionError = "Unhandled" }
        tracer.record(facts)
    }
}
