import AWSProtocol
import LambdaAPI
import SQSAPI

/// How a hosted service puts errors on the wire.
public enum ErrorProtocol: Sendable {
    /// REST-JSON (Lambda): `x-amzn-ErrorType` header, body `{"Type": …, "message": …}`.
    case restJSON
    /// JSON 1.0/1.1 (SQS, EventBridge, Logs): body `{"__type": …, "message": …}`.
    case json(version: String)
}

/// A service the edge routes to: it says which requests are its own and answers them.
public protocol HostedService: Sendable {
    /// SigV4 signing name the caller must scope its credentials to.
    var signingName: String { get }
    var errorProtocol: ErrorProtocol { get }
    /// Whether the request is this service's: by path (REST) or `X-Amz-Target` (JSON).
    func claims(pathSegments: [String], target: String?) -> Bool
    func handle(_ request: APIRequest) async throws -> APIResponse
}

extension LambdaService: HostedService {
    public var signingName: String { LambdaService.lambdaSigningName }
    public var errorProtocol: ErrorProtocol { .restJSON }

    public func claims(pathSegments: [String], target: String?) -> Bool {
        target == nil && LambdaRoute.claims(pathSegments)
    }
}

extension SQSService: HostedService {
    public var signingName: String { SQSService.sqsSigningName }
    public var errorProtocol: ErrorProtocol { .json(version: "1.0") }

    public func claims(pathSegments: [String], target: String?) -> Bool {
        target?.hasPrefix(SQSService.targetPrefix) == true
    }
}
