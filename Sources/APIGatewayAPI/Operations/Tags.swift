import AWSProtocol
import HTTPAPIs

extension APIGatewayService {
    func tagResource(_ request: APIRequest, _ arn: String) async throws -> APIResponse {
        let body = try decode(TagResourceRequest.self, from: request)
        try await directory.tagResource(arn, tags: body.tags ?? [:])
        return try .json(TagResourceResponse(), status: 201)
    }

    func untagResource(_ request: APIRequest, _ arn: String) async throws -> APIResponse {
        let keys = request.queryValues("tagKeys")
        guard !keys.isEmpty else { throw HTTPAPIError.badRequest("tagKeys is required.") }
        try await directory.untagResource(arn, keys: keys)
        return .empty(status: 204)
    }
}
