import AWSProtocol
import HTTPAPIs

extension APIGatewayService {
    func createIntegration(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        let body = try decode(CreateIntegrationRequest.self, from: request)
        return try .json(GetIntegrationResult(try await directory.createIntegration(apiId, body.input)), status: 201)
    }

    func getIntegrations(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        try page(try await directory.listIntegrations(apiId), request, key: \.integrationId, shape: GetIntegrationResult.init)
    }

    func updateIntegration(_ request: APIRequest, _ apiId: String, _ integrationId: String) async throws -> APIResponse {
        let body = try decode(UpdateIntegrationRequest.self, from: request)
        return try .json(GetIntegrationResult(try await directory.updateIntegration(apiId, integrationId, body.input)))
    }
}
