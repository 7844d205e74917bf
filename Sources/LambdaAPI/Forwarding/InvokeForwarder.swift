import AWSProtocol
import Auth
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Routing for warmth in a cluster: sends a sync invoke that would cold-start on this node to another node that
/// reported an idle environment of exactly the same function revision, and hands back that node's answer unchanged.
///
/// The forwarded request is the caller's Invoke (path, qualifier, payload, `X-Amz-Client-Context`, `X-Amz-Log-Type`,
/// `X-Amzn-Trace-Id`) signed with the cluster's root credentials (every node shares them; this node has already
/// authorized the caller), with `X-Swiftlet-Forwarded: <this node>`: a node never forwards a request carrying it, so a
/// request makes at most one hop. When the peer cannot be reached or answers 5xx, the caller runs it locally.
public struct InvokeForwarder: Sendable {
    /// Marks a request another node forwarded (its value: that node's id).
    public static let forwardedHeader = "x-swiftlet-forwarded"
    /// The caller's headers the peer needs to answer as this node would.
    static let passedHeaders = ["content-type", "x-amz-client-context", "x-amz-log-type", "x-amz-invocation-type", "x-amzn-trace-id"]
    /// The peer's headers passed back (with its status and body).
    static let returnedHeaders = ["content-type", "x-amz-function-error", "x-amz-executed-version", "x-amz-log-result"]

    /// Why a forward was given up (the invoke then runs locally).
    public enum Failure: Sendable, Equatable {
        case unreachable(String)
        case serverError(Int)
    }

    let nodeId: String
    let signer: SigV4Signer
    let peers: any WarmPeers
    let onFailure: @Sendable (_ peer: String, _ failure: Failure) -> Void
    let onForward: @Sendable (_ peer: String) -> Void
    let session: URLSession

    /// - Parameters:
    ///   - nodeId: this node (the `X-Swiftlet-Forwarded` value).
    ///   - signer: the cluster's root credentials, signing name `lambda`.
    ///   - peers: the nodes with a revision warm (the cluster's `WarmRouter`).
    ///   - onForward: a request was answered by `peer` (for a counter).
    ///   - onFailure: a forward was given up (for a log line and a counter); the invoke runs locally.
    public init(nodeId: String, signer: SigV4Signer,
                peers: any WarmPeers,
                onForward: @escaping @Sendable (_ peer: String) -> Void = { _ in },
                onFailure: @escaping @Sendable (_ peer: String, _ failure: Failure) -> Void = { _, _ in }) {
        self.nodeId = nodeId
        self.signer = signer
        self.peers = peers
        self.onForward = onForward
        self.onFailure = onFailure
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldUsePipelining = false
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    /// Whether `request` came from another node (it is then never forwarded again).
    static func isForwarded(_ request: APIRequest) -> Bool {
        request.header(forwardedHeader) != nil
    }

    /// The peer's answer to `request` for this revision; nil when no peer has it warm or the forward failed.
    /// `timeoutSeconds`: the function's timeout; the peer has that long plus a margin to answer.
    func forward(_ request: APIRequest, function: String, version: String, revisionId: String, timeoutSeconds: Int) async -> APIResponse? {
        guard let address = peers.claim(function: function, version: version, revisionId: revisionId) else { return nil }
        defer { peers.release(address, function: function, version: version, revisionId: revisionId) }
        let failed = { (failure: Failure) -> APIResponse? in
            peers.suspend(address)
            onFailure(address, failure)
            return nil
        }
        guard let (urlRequest, _) = signedRequest(for: request, to: address, timeoutSeconds: timeoutSeconds) else {
            return failed(.unreachable("\(address) is not a URL"))
        }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch {
            return failed(.unreachable("\(error)"))
        }
        guard let http = response as? HTTPURLResponse else { return failed(.unreachable("not an HTTP response")) }
        if http.statusCode >= 500 { return failed(.serverError(http.statusCode)) }
        onForward(address)
        var headers: [(name: String, value: String)] = []
        for name in Self.returnedHeaders {
            if let value = http.value(forHTTPHeaderField: name) { headers.append((name, value)) }
        }
        return APIResponse(status: http.statusCode, headers: headers, body: Array(data))
    }

    /// The caller's Invoke re-addressed to `address` and signed as root; nil when the address is not a URL.
    func signedRequest(for request: APIRequest, to address: String, timeoutSeconds: Int, date: Date = Date()) -> (URLRequest, SignableRequest)? {
        guard let base = URL(string: address), let host = base.host else { return nil }
        let hostHeader = base.port.map { "\(host):\($0)" } ?? host
        let rawQuery = request.query.map { "\(URIEncoding.encode($0.name))=\(URIEncoding.encode($0.value))" }.joined(separator: "&")
        guard let url = URL(string: address + request.rawPath + (rawQuery.isEmpty ? "" : "?" + rawQuery)) else { return nil }
        let bodyHash = Hex.sha256(bytes: request.body)
        var headers: [(name: String, value: String)] = [("host", hostHeader), ("x-amz-content-sha256", bodyHash), (Self.forwardedHeader, nodeId)]
        for name in Self.passedHeaders {
            if let value = request.header(name) { headers.append((name, value)) }
        }
        var signable = SignableRequest(method: request.method, rawPath: request.rawPath, rawQuery: rawQuery, headers: headers, bodySHA256: bodyHash)
        let authorization = signer.authorizationHeaders(for: signable, date: date)
        signable.headers += authorization.map { (name: $0.0, value: $0.1) }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = TimeInterval(timeoutSeconds + 5)
        for (name, value) in signable.headers where name != "host" { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = Data(request.body)
        return (urlRequest, signable)
    }
}
