import AWSProtocol
import Auth
import Foundation
import HTTPTypes
import Hummingbird
import Identity
import Logging
import PlatformMetrics

/// The one listener's request path: read the body, authenticate with SigV4, resolve the caller, check the
/// permissions the operation needs, hand the request to the service that claims it, and encode whatever comes back
/// (or goes wrong) as AWS does.
public struct EdgeResponder: HTTPResponder {
    public typealias Context = EdgeRequestContext

    let services: [any HostedService]
    let verifier: SigV4Verifier
    let authorizer: Authorizer
    let health: HealthReport
    let logger: Logger
    /// Largest body read; larger requests get 413 before any service sees them.
    let maxBodyBytes: Int
    let region: String
    /// Served on `GET /metrics`; every request is counted into it.
    let metrics: PlatformMetrics
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <token>`.
    let metricsToken: String?
    /// On a node of a cluster: awaited after a request that changed configuration and before its answer, so that
    /// what the caller does next through another node finds that node told (`ConfigurationWrites`).
    let writeFence: (@Sendable () async -> Void)?

    public init(services: [any HostedService], verifier: SigV4Verifier, authorizer: Authorizer, health: HealthReport,
                maxBodyBytes: Int = 72 * 1024 * 1024, metrics: PlatformMetrics = PlatformMetrics(), metricsToken: String? = nil,
                writeFence: (@Sendable () async -> Void)? = nil, logger: Logger) {
        self.writeFence = writeFence
        self.services = services
        self.verifier = verifier
        self.authorizer = authorizer
        self.health = health
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        self.region = health.region
        self.metrics = metrics
        self.metricsToken = metricsToken
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let requestId = RequestID.make()
        let started = ContinuousClock.now
        let rawPath = request.uri.path
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map { URIEncoding.decode($0) }
        let route = RouteHints(method: request.method.rawValue, pathSegments: segments,
                               target: request.headers[HTTPField.Name("x-amz-target")!],
                               // Only `POST /` (the query services) is told apart by the credential scope.
                               signingService: segments.isEmpty ? Self.signingService(request) : nil)
        let service = services.first { $0.claims(route) }
        let errorProtocol = service?.errorProtocol ?? (route.target != nil ? .json(version: "1.1") : .restJSON)
        var operation = OperationName.of(route, service: service, query: request.uri.query)

        let apiResponse: APIResponse
        do {
            if request.method == .get, segments == ["health"] {
                operation = "Health"
                apiResponse = try .json(health, status: health.gauges.draining() ? 503 : 200)
            } else if request.method == .get, segments == ["metrics"] {
                operation = "Metrics"
                apiResponse = await scrape(request)
            } else if request.method == .get, let document = await publicDocument(route) {
                operation = "PublicDocument"
                apiResponse = document
            } else {
                apiResponse = try await dispatch(request, to: service, route: route, rawPath: rawPath, requestId: requestId,
                                                 peer: context.remoteAddress?.ipAddress, operation: &operation)
            }
        } catch let error as any AWSErrorConvertible {
            apiResponse = ErrorEncoder.response(ErrorEncoder.awsError(error, protocol: errorProtocol), protocol: errorProtocol,
                                                requestId: requestId)
        } catch {
            logger.error("request failed", metadata: ["requestId": "\(requestId)", "error": "\(error)"])
            apiResponse = ErrorEncoder.response(.serviceException(), protocol: errorProtocol, requestId: requestId)
        }
        if let writeFence, ConfigurationWrites.changesConfiguration(method: request.method.rawValue, operation: operation,
                                                                    status: apiResponse.status) {
            await writeFence()
        }
        logger.debug("request", metadata: [
            "requestId": "\(requestId)", "method": "\(request.method)", "path": "\(rawPath)",
            "status": "\(apiResponse.status)", "duration": "\(ContinuousClock.now - started)",
        ])
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        metrics.http.record([service?.signingName ?? (operation == "unknown" ? "unknown" : "swiftlet"), operation],
                            status: apiResponse.status, seconds: Double(seconds) + Double(attoseconds) / 1e18)
        return Self.response(apiResponse, requestId: requestId)
    }

    /// An unsigned document a service publishes (only `GET`), or nil.
    private func publicDocument(_ route: RouteHints) async -> APIResponse? {
        for service in services {
            if let document = await service.publicDocument(route) { return document }
        }
        return nil
    }

    /// The Prometheus scrape: every series in the text exposition format, behind the bearer token when one is set.
    private func scrape(_ request: Request) async -> APIResponse {
        if let metricsToken {
            let presented = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? $0.dropFirst(7) : nil }
            guard let presented, Self.constantTimeEqual(Array(presented.utf8), Array(metricsToken.utf8)) else {
                return APIResponse(status: 401, headers: [("WWW-Authenticate", "Bearer realm=\"metrics\""),
                                                          ("Content-Type", "text/plain; charset=utf-8")],
                                   body: Array("Unauthorized: /metrics needs Authorization: Bearer <token>\n".utf8))
            }
        }
        return APIResponse(status: 200, headers: [("Content-Type", PlatformMetrics.contentType)], body: await metrics.exposition())
    }

    /// Compares secrets without returning early on the first difference.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    private func dispatch(_ request: Request, to service: (any HostedService)?, route: RouteHints, rawPath: String,
                          requestId: String, peer: String?, operation: inout String) async throws -> APIResponse {
        let body = try await readBody(request)
        if case .query = service?.errorProtocol, let action = OperationName.action(inForm: body) { operation = action }
        var headers: [(name: String, value: String)] = []
        for field in request.headers {
            headers.append((field.name.canonicalName, field.value))
        }
        let host = request.head.authority ?? ""
        if !headers.contains(where: { $0.name == "host" }) {
            headers.append(("host", host))
        }
        let signable = SignableRequest(
            method: request.method.rawValue, rawPath: rawPath, rawQuery: request.uri.query ?? "",
            headers: headers, bodySHA256: Hex.sha256(bytes: body))

        guard let service else {
            // Unknown to every service: still authenticate first, as AWS does, then say so.
            _ = try verifier.verify(signable, service: nil)
            throw AWSError.unknownOperation(route.target ?? "\(request.method.rawValue) \(rawPath)")
        }
        let verified = try verifier.verify(signable, service: service.signingName)
        var caller = try authorizer.caller(verified)
        // GetSessionToken credentials may not call IAM without MFA, which this server does not have.
        if caller.isSessionTokenSession, service.signingName == "iam" { throw AuthError.unrecognizedClient }
        if caller.needsAuthorization { caller.requestContext = globalConditionKeys(peer: peer) }
        let payload = GzipBody.isGzip(headers) ? try GzipBody.inflate(body, limit: maxBodyBytes) : body
        let apiRequest = APIRequest(
            method: request.method.rawValue, rawPath: rawPath, pathSegments: route.pathSegments,
            query: signable.queryItems, headers: headers, body: payload,
            baseURL: "http://\(host)", host: host, requestId: requestId, caller: caller.identity)
        if caller.needsAuthorization {
            for permission in try await service.permissions(for: apiRequest) {
                try authorizer.authorize(caller, permission)
            }
        }
        return try await service.handle(apiRequest, caller: caller)
    }

    /// Condition keys every request carries (the evaluator adds the principal's and the time).
    private func globalConditionKeys(peer: String?) -> [String: [String]] {
        var keys: [String: [String]] = ["aws:SecureTransport": ["false"], "aws:RequestedRegion": [region]]
        if let peer { keys["aws:SourceIp"] = [peer] }
        return keys
    }

    /// The service named in the credential scope (header or presigned form), without verifying anything yet.
    static func signingService(_ request: Request) -> String? {
        if let authorization = request.headers[.authorization] {
            return try? AuthorizationHeader.parse(authorization).scope.service
        }
        guard let query = request.uri.query, query.contains("X-Amz-Credential=") else { return nil }
        let credential = QueryString.parse(query).first { $0.name == "X-Amz-Credential" }?.value
        return credential.flatMap { try? CredentialScope.parse($0).service }
    }

    private func readBody(_ request: Request) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            throw Self.tooLarge
        }
        do {
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            return Array(buffer.readableBytesView)
        } catch {
            throw Self.tooLarge
        }
    }

    private static let tooLarge = AWSError(
        code: "RequestEntityTooLargeException", status: 413,
        message: "Request must be smaller than 69905067 bytes for the operation")

    static func response(_ api: APIResponse, requestId: String) -> Response {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-amzn-RequestId")!] = requestId
        for (name, value) in api.headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        if api.status == 204 {
            return Response(status: .init(code: api.status), headers: fields)
        }
        if let stream = api.stream {
            // Chunked transfer: each write goes out (flushed) as the service produces it.
            return Response(status: .init(code: api.status), headers: fields, body: ResponseBody { writer in
                let box = StreamedBodyWriter(writer)
                try await stream(box)
                writer = box.writer
                try await writer.finish(nil)
            })
        }
        var buffer = ByteBuffer()
        buffer.writeBytes(api.body)
        return Response(status: .init(code: api.status), headers: fields, body: ResponseBody(byteBuffer: buffer))
    }
}

/// Hands a service's streamed writes to Hummingbird's body writer. Unchecked: the service's stream closure is awaited
/// inside the body closure and writes one chunk at a time, so the writer is never used from two tasks at once.
private final class StreamedBodyWriter: ResponseStreamWriter, @unchecked Sendable {
    var writer: any ResponseBodyWriter

    init(_ writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    func write(_ bytes: [UInt8]) async throws {
        try await writer.write(ByteBuffer(bytes: bytes))
    }
}
