import AWSProtocol
import HTTPAPIs

extension APIGatewayService {
    func createApi(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(CreateApiRequest.self, from: request)
        let api = try await directory.createAPI(body.input)
        return try .json(GetApiResponse(api, endpoint: directory.apiEndpoint(api.apiId)), status: 201)
    }

    func getApis(_ request: APIRequest) async throws -> APIResponse {
        let apis = try await directory.listAPIs()
        return try page(apis, request, key: \.apiId) { GetApiResponse($0, endpoint: directory.apiEndpoint($0.apiId)) }
    }

    func getApi(_ apiId: String) async throws -> APIResponse {
        let api = try await directory.getAPI(apiId)
        return try .json(GetApiResponse(api, endpoint: directory.apiEndpoint(api.apiId)))
    }

    func updateApi(_ request: APIRequest, _ apiId: String) async throws -> APIResponse {
        let body = try decode(UpdateApiRequest.self, from: request)
        let api = try await directory.updateAPI(apiId, body.input)
        return try .json(GetApiResponse(api, endpoint: directory.apiEndpoint(api.apiId)))
    }

    func deleteApi(_ apiId: String) async throws -> APIResponse {
        try await directory.deleteAPI(apiId)
        return .empty(status: 204)
    }

    func deleteCorsConfiguration(_ apiId: String) async throws -> APIResponse {
        try await directory.deleteCors(apiId)
        return .empty(status: 204)
    }
}
