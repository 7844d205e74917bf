import AWSProtocol
import HTTPAPIs

extension APIGatewayService {
    func createStage(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        let body = try decode(CreateStageRequest.self, from: request)
        guard let name = body.stageName else { throw HTTPAPIError.badRequest("StageName is required.") }
        let stage = try await directory.createStage(apiId, name: name, body.input, tags: body.tags)
        return try .json(GetStageResponse(stage), status: 201)
    }

    func getStages(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        try page(try await directory.listStages(apiId), request, key: \.stageName, shape: GetStageResponse.init)
    }

    func updateStage(_ request: APIRequest, _ apiId: String, _ name: String) async throws -> APIResponse {
        let body = try decode(UpdateStageRequest.self, from: request)
        return try .json(GetStageResponse(try await directory.updateStage(apiId, name, body.input)))
    }
}
