import APIGatewayAPI
import AWSProtocol
import Identity

/// API Gateway v2 (`/v2/…`, no `X-Amz-Target`): REST-JSON errors (`x-amzn-ErrorType` + `message`), which is what
/// botocore's rest-json parser reads for `apigatewayv2`.
extension APIGatewayService: HostedService {
    public var signingName: String { APIGatewayService.apigatewaySigningName }
    public var errorProtocol: ErrorProtocol { .restJSON }

    public func claims(_ route: RouteHints) -> Bool {
        route.target == nil && APIGatewayRoute.claims(route.pathSegments)
    }

    public func handle(_ request: APIRequest, caller: Caller) async throws -> APIResponse {
        try await handle(request)
    }
}
