import AWSProtocol
import HTTPAPIs

extension APIGatewayService {
    func createAuthorizer(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        let body = try decode(CreateAuthorizerRequest.self, from: request)
        return try .json(GetAuthorizerResponse(try await directory.createAuthorizer(apiId, body.input)), status: 201)
    }

    func getAuthorizers(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        try page(try await directory.listAuthorizers(apiId), request, key: \.authorizerId, shape: GetAuthorizerResponse.init)
    }

    func updateAuthorizer(_ request: APIRequest, _ apiId: String, _ authorizerId: String) async throws -> APIResponse {
        let body = try decode(UpdateAuthorizerRequest.self, from: request)
        return try .json(GetAuthorizerResponse(try await directory.updateAuthorizer(apiId, authorizerId, body.input)))
    }
}
