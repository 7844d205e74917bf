import AWSProtocol
import Foundation
import Logging
import Synchronization

/// What answers the requests of one kind of endpoint.
protocol EndpointHandler: Sendable {
    func respond(to request: IngressRequest, id: String) async -> IngressResponse
}

/// Picks the endpoint a request is for and hands it to that kind's handler.
public final class IngressRouter: Sendable {
    /// Largest request body read (HTTP APIs' 10 MB; function URLs check their 6 MB payload limit themselves).
    let maxBodyBytes = 10 * 1024 * 1024
    let table: EndpointTable
    let accessLog: Logger?
    private let handlers = Mutex<[HTTPEndpointKind: any EndpointHandler]>([:])

    init(table: EndpointTable, accessLog: Logger?) {
        self.table = table
        self.accessLog = accessLog
    }

    func serve(_ kind: HTTPEndpointKind, with handler: any EndpointHandler) {
        handlers.withLock { $0[kind] = handler }
    }

    func respond(to request: IngressRequest, localAddress: String?, host: String?) async -> IngressResponse {
        guard let endpoint = table.endpoint(localAddress: localAddress, host: host),
              let handler = handlers.withLock({ $0[endpoint.kind] }) else {
            return .message(404, "Not Found")
        }
        return await handler.respond(to: request, id: endpoint.id)
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
