import AWSProtocol
import Catalog

extension LambdaService {
    /// `POST /2017-03-31/tags/{arn}` → 204.
    func tagResource(_ request: APIRequest, arn: String) async throws -> APIResponse {
        let body = try decode(TagResourceRequest.self, from: request)
        try await catalog.tagResource(arn, tags: body.Tags ?? [:])
        return .empty(status: 204)
    }

    /// `DELETE /2017-03-31/tags/{arn}?tagKeys=…` → 204.
    func untagResource(_ request: APIRequest, arn: String) async throws -> APIResponse {
        try await catalog.untagResource(arn, keys: request.queryValues("tagKeys"))
        return .empty(status: 204)
    }

    /// `GET /2017-03-31/tags/{arn}`.
    func listTags(_ request: APIRequest, arn: String) async throws -> APIResponse {
        try .json(ListTagsResponse(Tags: try await catalog.tags(ofResource: arn)))
    }
}
