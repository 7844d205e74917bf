import AWSProtocol
import Identity
import LambdaAPI
import SQSAPI

/// How a hosted service puts errors on the wire.
public enum ErrorProtocol: Sendable {
    /// REST-JSON (Lambda): `x-amzn-ErrorType` header, body `{"Type": …, "message": …}`.
    case restJSON
    /// JSON 1.0/1.1 (SQS, EventBridge, Logs): body `{"__type": …, "message": …}`.
    case json(version: String)
    /// Query (IAM, STS, SNS): `<ErrorResponse xmlns=…><Error><Code>…`.
    case query(namespace: String)
    /// Smithy RPC v2 CBOR (CloudWatch): a CBOR body `{"__type": …, "message": …}`; a query-compatible service adds
    /// `x-amzn-query-error: <Code>;Sender|Receiver`, which botocore takes the error code from.
    case rpcV2CBOR(queryCompatible: Bool)
}

/// What the edge knows of a request before it picks a service.
public struct RouteHints: Sendable {
    public var method: String
    public var pathSegments: [String]
    /// `X-Amz-Target` (JSON protocols).
    public var target: String?
    /// The service the caller scoped its signature to (query protocols share `POST /` and differ only there).
    public var signingService: String?
}

/// A service the edge routes to: it says which requests are its own, which permissions each needs, and answers them.
public protocol HostedService: Sendable {
    /// SigV4 signing name the caller must scope its credentials to.
    var signingName: String { get }
    var errorProtocol: ErrorProtocol { get }
    func claims(_ route: RouteHints) -> Bool
    /// The IAM permissions the request needs; the edge checks them (for every caller but root) before `handle`.
    func permissions(for request: APIRequest) async throws -> [RequiredPermission]
    func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse
    /// A document anyone may `GET` without signing (SNS's signing certificate at `SigningCertURL`); nil when the
    /// path is not one of the service's.
    func publicDocument(_ route: RouteHints) async -> APIResponse?
}

extension HostedService {
    public func publicDocument(_ route: RouteHints) async -> APIResponse? { nil }
}

extension LambdaService: HostedService {
    public var signingName: String { LambdaService.lambdaSigningName }
    public var errorProtocol: ErrorProtocol { .restJSON }

    public func claims(_ route: RouteHints) -> Bool {
        route.target == nil && LambdaRoute.claims(route.pathSegments)
    }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        try await handle(request)
    }
}

extension SQSService: HostedService {
    public var signingName: String { SQSService.sqsSigningName }
    public var errorProtocol: ErrorProtocol { .json(version: "1.0") }

    public func claims(_ route: RouteHints) -> Bool {
        route.target?.hasPrefix(SQSService.targetPrefix) == true
    }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        try await handle(request)
    }
}
