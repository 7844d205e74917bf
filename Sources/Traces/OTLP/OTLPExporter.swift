import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceLifecycle
import Synchronization

/// Sends the platform's spans to an OpenTelemetry collector over OTLP/HTTP with JSON bodies (`POST <endpoint>/v1/traces`),
/// in batches about every second. Spans wait in a bounded buffer; past it, and when the collector cannot be reached,
/// they are dropped and counted (tracing never slows invocations down).
public final class OTLPExporter: Service, Sendable {
    public let url: URL
    let serviceName: String
    let interval: Duration
    let maxPending: Int
    let logger: Logger
    let session: URLSession
    private let pending = Mutex<[OTLPSpan]>([])
    private let dropped = Atomic<Int>(0)

    /// `endpoint` as `OTEL_EXPORTER_OTLP_ENDPOINT` is written (`/v1/traces` is appended) or the full traces URL.
    public init?(endpoint: String, serviceName: String = "swiftlet", interval: Duration = .seconds(1), maxPending: Int = 50_000,
                 logger: Logger) {
        var text = endpoint
        if !text.hasSuffix("/v1/traces") { text = (text.hasSuffix("/") ? String(text.dropLast()) : text) + "/v1/traces" }
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else { return nil }
        self.url = url
        self.serviceName = serviceName
        self.interval = interval
        self.maxPending = maxPending
        self.logger = logger
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        session = URLSession(configuration: configuration)
    }

    /// Spans that were dropped (buffer full, collector unreachable or refusing).
    public var droppedCount: Int { dropped.load(ordering: .relaxed) }

    /// Queues the spans of `segments`.
    public func export(_ segments: [SegmentDocument]) {
        let spans = OTLPSpans.spans(of: segments)
        let taken = pending.withLock { all -> Bool in
            guard all.count + spans.count <= maxPending else { return false }
            all.append(contentsOf: spans)
            return true
        }
        if !taken { dropped.add(spans.count, ordering: .relaxed) }
    }

    /// The request body for `spans`.
    public func request(_ spans: [OTLPSpan]) -> ExportTraceServiceRequest {
        ExportTraceServiceRequest(resourceSpans: [ResourceSpans(
            resource: OTLPResource(attributes: [KeyValue("service.name", serviceName), KeyValue("cloud.provider", "aws"),
                                                KeyValue("cloud.platform", "aws_lambda")]),
            scopeSpans: [ScopeSpans(scope: InstrumentationScope(name: "swiftlet.lambda"), spans: spans)])])
    }

    /// Sends what is queued.
    public func flush() async {
        let spans = pending.withLock { all -> [OTLPSpan] in
            defer { all.removeAll(keepingCapacity: true) }
            return all
        }
        guard !spans.isEmpty else { return }
        do {
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONEncoder().encode(self.request(spans))
            let (_, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard (200..<300).contains(status) else {
                dropped.add(spans.count, ordering: .relaxed)
                logger.warning("the OTLP collector refused spans", metadata: ["status": "\(status)", "spans": "\(spans.count)"])
                return
            }
        } catch {
            dropped.add(spans.count, ordering: .relaxed)
            logger.warning("exporting spans failed", metadata: ["error": "\(error)", "spans": "\(spans.count)"])
        }
    }

    public func run() async throws {
        logger.info("exporting spans over OTLP", metadata: ["url": "\(url)"])
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
                await flush()
            }
        } onGracefulShutdown: {}
        await flush()
    }
}
