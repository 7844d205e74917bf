import AWSProtocol
import IAMAPI
import Identity
import STSAPI

/// The query-protocol services all take `POST /` with a form body; the credential scope's service tells them apart.
private func isQueryRequest(_ route: RouteHints, signingService: String) -> Bool {
    route.target == nil && route.pathSegments.isEmpty && route.signingService == signingService
}

extension STSService: HostedService {
    public var signingName: String { STSService.stsSigningName }
    public var errorProtocol: ErrorProtocol { .query(namespace: STSService.namespace) }

    public func claims(_ route: RouteHints) -> Bool {
        isQueryRequest(route, signingService: STSService.stsSigningName)
    }
}

extension IAMService: HostedService {
    public var signingName: String { IAMService.iamSigningName }
    public var errorProtocol: ErrorProtocol { .query(namespace: IAMService.namespace) }

    public func claims(_ route: RouteHints) -> Bool {
        isQueryRequest(route, signingService: IAMService.iamSigningName)
    }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        try await handle(request, callerUserName: caller.identity.userName)
    }
}
