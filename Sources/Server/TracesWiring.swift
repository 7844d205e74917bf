import Foundation
import Invoker
import Logging
import ServiceLifecycle
import Traces
import XRayAPI

/// X-Ray: the recorder the platform's Lambda segments and the daemon's datagrams feed; the UDP daemon on
/// `127.0.0.1:<SWIFTLET_XRAY_DAEMON_PORT or 2000>` (an ephemeral port when that one is taken), which functions reach
/// at `AWS_XRAY_DAEMON_ADDRESS` (sandboxed ones through a relay on their own loopback); the retention janitor; the
/// OTLP exporter when `SWIFTLET_OTLP_ENDPOINT` is set; and the REST-JSON API.
enum TracesWiring: ServiceWiring {
    static let daemonHost = "127.0.0.1"
    static let defaultDaemonPort = 2000

    static func wire(_ context: WiringContext) async throws -> WiredService {
        let exporter = otlpExporter(context.logger, configured: context.configuration.otlpEndpoint)
        var exportSegments: (@Sendable ([SegmentDocument]) -> Void)?
        if let exporter { exportSegments = { exporter.export($0) } }
        let recorder = TraceRecorder(store: context.store, logger: context.logger, platformSegments: exportSegments)
        let directory = TraceDirectory(store: context.store, recorder: recorder)
        var services: [any Service] = [recorder, TraceJanitor(store: context.store, logger: context.logger,
                                                                       turn: context.janitorTurns.turn(of: "trace-retention", lease: 1_500))]
        var daemonAddress: (host: String, port: Int)?
        let port = daemonPort(context.logger, configured: context.configuration.xrayDaemonPort)
        if let port {
            // A port already taken (another daemon, a second server) falls back to an ephemeral one: functions are
            // told where it is, so their segments still arrive.
            for candidate in port == 0 ? [0] : [port, 0] {
                do {
                    let daemon = try await XRayDaemon.bind(host: daemonHost, port: candidate, recorder: recorder, logger: context.logger)
                    services.append(daemon)
                    daemonAddress = (daemon.host, daemon.port)
                    break
                } catch {
                    context.logger.warning("the X-Ray daemon could not listen", metadata: [
                        "address": "\(daemonHost):\(candidate)", "error": "\(error)"])
                }
            }
        }
        if let exporter { services.append(exporter) }
        context.invoker.trace(with: LambdaTracer(recorder: recorder), daemon: daemonAddress)
        return WiredService(hosted: [XRayService(directory: directory)], services: services)
    }

    /// An exporter to `--otlp-endpoint` or `SWIFTLET_OTLP_ENDPOINT` (an OTLP/HTTP collector, e.g. `http://127.0.0.1:4318`).
    static func otlpExporter(_ logger: Logger, configured: String?) -> OTLPExporter? {
        guard let endpoint = configured ?? ProcessInfo.processInfo.environment["SWIFTLET_OTLP_ENDPOINT"], !endpoint.isEmpty else { return nil }
        guard let exporter = OTLPExporter(endpoint: endpoint, logger: logger) else {
            logger.error("SWIFTLET_OTLP_ENDPOINT is not an http(s) URL; spans are not exported", metadata: ["value": "\(endpoint)"])
            return nil
        }
        return exporter
    }

    /// `--xray-daemon-port` or `SWIFTLET_XRAY_DAEMON_PORT` (0: ephemeral; `off`: no daemon), else 2000.
    static func daemonPort(_ logger: Logger, configured: String?) -> Int? {
        guard let raw = configured ?? ProcessInfo.processInfo.environment["SWIFTLET_XRAY_DAEMON_PORT"], !raw.isEmpty else { return defaultDaemonPort }
        if raw == "off" { return nil }
        guard let port = Int(raw), (0...65535).contains(port) else {
            logger.error("SWIFTLET_XRAY_DAEMON_PORT is not a port; the X-Ray daemon is off", metadata: ["value": "\(raw)"])
            return nil
        }
        return port
    }
}

/// Hands the invoker's facts of a sampled invocation to the recorder, which builds Lambda's two segments from them
/// (and has them exported as spans) in the background.
struct LambdaTracer: InvocationTracer {
    let recorder: TraceRecorder

    func record(_ facts: InvocationTraceFacts) {
        var invocation = LambdaInvocation(
            traceId: facts.context.root, functionSegmentId: facts.context.parent, callerSegmentId: facts.context.incomingParent,
            functionName: facts.functionName, functionArn: facts.invokedFunctionArn, requestId: facts.requestId,
            received: facts.received, initStart: facts.initStart, initEnd: facts.initEnd, invocationStart: facts.invocationStart,
            invocationEnd: facts.invocationEnd, finished: facts.finished, functionError: facts.functionError,
            platformError: facts.platformError)
        invocation.queuedAt = facts.queuedAt
        invocation.attempt = facts.attempt
        recorder.record(invocation: invocation)
    }
}
