import AWSProtocol
import Identity
import XRayAPI

/// X-Ray (`POST /TraceSegments`, `/Traces`, `/TraceSummaries`, `/TraceGraph`, `/ServiceGraph`, no `X-Amz-Target`):
/// REST-JSON errors (`x-amzn-ErrorType` + `Message`), as botocore's rest-json parser reads them for `xray`.
extension XRayService: HostedService {
    public var signingName: String { XRayService.xraySigningName }
    public var errorProtocol: ErrorProtocol { .restJSON }

    public func claims(_ route: RouteHints) -> Bool {
        route.target == nil && XRayService.claims(route.pathSegments)
    }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        try await handle(request)
    }
}
