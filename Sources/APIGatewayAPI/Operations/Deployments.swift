import AWSProtocol
import HTTPAPIs

extension APIGatewayService {
    func createDeployment(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        let body = try decode(CreateDeploymentRequest.self, from: request)
        let deployment = try await directory.createDeployment(apiId, stageName: body.stageName, description: body.description)
        return try .json(GetDeploymentResponse(deployment), status: 201)
    }

    func getDeployments(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        try page(try await directory.listDeployments(apiId), request, key: \.deploymentId, shape: GetDeploymentResponse.init)
    }
}
