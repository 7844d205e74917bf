import AWSProtocol
import Foundation
import Logging
import NIOCore
import PlatformMetrics
import Synchronization

/// What answers the requests of one kind of endpoint.
protocol EndpointHandler: Sendable {
    func respond(to request: IngressRequest, id: String) async -> IngressResponse
}

/// Picks the endpoint a request is for and hands it to that kind's handler.
public final class IngressRouter: Sendable {
    /// Largest request body read for HTTP APIs (API Gateway's 10 MB) and for anything unknown.
    static let maxBodyBytes = 10 * 1024 * 1024
    /// Largest body a function URL reads (Lambda's 6 MB payload; the event around it is checked again).
    static let maxFunctionURLBodyBytes = 6 * 1024 * 1024
    /// Keep-alive connections with no request for this long are closed.
    static let idleTimeout = TimeAmount.seconds(60)
    /// A client that takes no bytes of its response for this long loses its connection.
    static let writeTimeout = TimeAmount.seconds(60)
    /// Open connections beyond this are closed as they arrive.
    static let maxConnections = 10_000

    let table: EndpointTable
    private let connections = Atomic<Int>(0)
    let accessLog: Logger?
    private let handlers = Mutex<[HTTPEndpointKind: any EndpointHandler]>([:])
    /// Requests by endpoint kind and status (none until the server hands its metrics over).
    private let requestMetrics = Mutex<RequestMetrics?>(nil)

    init(table: EndpointTable, accessLog: Logger?) {
        self.table = table
        self.accessLog = accessLog
    }

    func serve(_ kind: HTTPEndpointKind, with handler: any EndpointHandler) {
        handlers.withLock { $0[kind] = handler }
    }

    /// The body limit of the endpoint a request is for.
    func bodyLimit(localAddress: String?, host: String?) -> Int {
        table.endpoint(localAddress: localAddress, host: host)?.kind == .functionURL ? Self.maxFunctionURLBodyBytes : Self.maxBodyBytes
    }

    /// Counts a new connection; false past the cap.
    func connectionOpened() -> Bool {
        let count = connections.wrappingAdd(1, ordering: .relaxed).newValue
        if count > Self.maxConnections {
            connections.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func connectionClosed() {
        connections.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Counts every request from now on into `metrics` (`swiftlet_ingress_requests_total`, by kind and status).
    public func recordRequests(into metrics: PlatformMetrics) {
        requestMetrics.withLock { $0 = metrics.ingress }
    }

    func respond(to request: IngressRequest, localAddress: String?, host: String?) async -> IngressResponse {
        let started = ContinuousClock.now
        guard let endpoint = table.endpoint(localAddress: localAddress, host: host),
              let handler = handlers.withLock({ $0[endpoint.kind] }) else {
            let response = IngressResponse.message(404, "Not Found")
            record(kind: "none", status: response.status, since: started)
            return response
        }
        let response = await handler.respond(to: request, id: endpoint.id)
        record(kind: endpoint.kind == .functionURL ? "function_url" : "http_api", status: response.status, since: started)
        return response
    }

    /// Counts one answered request (a streamed body is timed to its head: the rest goes out after).
    private func record(kind: String, status: Int, since started: ContinuousClock.Instant) {
        guard let metrics = requestMetrics.withLock({ $0 }) else { return }
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        metrics.record([kind], status: status, seconds: Double(seconds) + Double(attoseconds) / 1e18)
    }

    func logAccess(_ request: IngressRequest, status: Int, duration: Duration) {
        guard let accessLog else { return }
        let ms = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
        accessLog.notice("\(request.sourceIp) \"\(request.method) \(request.rawPath)\(request.rawQuery.isEmpty ? "" : "?" + request.rawQuery) \(request.httpVersion)\" \(status) \(String(format: "%.3f", ms)) ms",
                       metadata: ["requestId": "\(request.requestId)"])
    }

    static func requestId() -> String {
        UUID().uuidString.lowercased()
    }
}
