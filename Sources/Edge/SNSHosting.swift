import AWSProtocol
import Identity
import SNSAPI

/// SNS (query protocol on `POST /`, told apart by the signing name `sns`): `<ErrorResponse>` errors. Its unsigned
/// GETs (signing certificate, SubscribeURL, UnsubscribeURL) live under `/_sns/`.
extension SNSService: HostedService {
    public var signingName: String { SNSService.snsSigningName }
    public var errorProtocol: ErrorProtocol { .query(namespace: SNSService.namespace) }

    public func claims(_ route: RouteHints) -> Bool {
        route.target == nil && route.pathSegments.isEmpty && route.signingService == SNSService.snsSigningName
    }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        try await handle(request)
    }

    public func publicDocument(_ route: RouteHints) async -> APIResponse? {
        guard route.method == "GET" else { return nil }
        return await publicDocument(pathSegments: route.pathSegments, requestId: RequestID.make())
    }
}
