import AWSProtocol
import HTTPAPIs

extension APIGatewayService {
    func createRoute(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        let body = try decode(CreateRouteRequest.self, from: request)
        return try .json(GetRouteResult(try await directory.createRoute(apiId, body.input)), status: 201)
    }

    func getRoutes(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        try page(try await directory.listRoutes(apiId), request, key: \.routeId, shape: GetRouteResult.init)
    }

    func updateRoute(_ request: APIRequest, _ apiId: String, _ routeId: String) async throws -> APIResponse {
        let body = try decode(UpdateRouteRequest.self, from: request)
        return try .json(GetRouteResult(try await directory.updateRoute(apiId, routeId, body.input)))
    }
}
