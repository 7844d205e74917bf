import Auth
import Foundation

/// One HTTP request as the ingress read it: the wire's facts, before any endpoint interprets them.
public struct IngressRequest: Sendable {
    public var method: String
    /// The path as sent, still percent-encoded (`/items/7`).
    public var rawPath: String
    /// The query string as sent, without `?` (empty when none).
    public var rawQuery: String
    /// Header fields in the order sent, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// `HTTP/1.1`.
    public var httpVersion: String
    public var sourceIp: String
    /// The port the request arrived on (`x-forwarded-port`).
    public var localPort: Int
    public var requestId: String
    public var received: Date

    public init(method: String, rawPath: String, rawQuery: String, headers: [(name: String, value: String)], body: [UInt8],
                httpVersion: String, sourceIp: String, localPort: Int = 0, requestId: String, received: Date = Date()) {
        self.localPort = localPort
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
        self.sourceIp = sourceIp
        self.requestId = requestId
        self.received = received
    }

    /// All values of a header (names compared without case) joined by commas; nil when absent.
    public func header(_ name: String) -> String? {
        var found: String?
        for field in headers where field.name.caseInsensitiveCompare(name) == .orderedSame {
            found = found.map { $0 + "," + field.value } ?? field.value
        }
        return found
    }

    /// The request as SigV4 verifies it (function URLs with AWS_IAM, HTTP API routes with AWS_IAM).
    var signable: SignableRequest {
        var fields = headers.map { (name: $0.name.lowercased(), value: $0.value) }
        if !fields.contains(where: { $0.name == "host" }) { fields.append(("host", "")) }
        return SignableRequest(method: method, rawPath: rawPath, rawQuery: rawQuery, headers: fields,
                               bodySHA256: Hex.sha256(bytes: body))
    }

    /// The path, percent-decoded.
    var decodedPath: String {
        rawPath.removingPercentEncoding ?? rawPath
    }
}

/// What the ingress writes back: a whole response, or a head followed by a body produced as it streams.
public enum IngressResponse: Sendable {
    case buffered(status: Int, headers: [(name: String, value: String)], body: [UInt8])
    /// The body comes from `body`, written chunk by chunk as it yields (chunked transfer encoding).
    case streamed(status: Int, headers: [(name: String, value: String)], body: ResponseChunks)

    var status: Int {
        switch self {
        case .buffered(let status, _, _), .streamed(let status, _, _): status
        }
    }

    /// A small JSON message body, as API Gateway and function URLs answer their own errors.
    static func message(_ status: Int, key: String = "message", _ text: String,
                        extraHeaders: [(name: String, value: String)] = []) -> IngressResponse {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return .buffered(status: status, headers: [("Content-Type", "application/json")] + extraHeaders,
                         body: Array("{\"\(key)\":\"\(escaped)\"}".utf8))
    }
}
