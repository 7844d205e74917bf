import AWSProtocol
import Catalog

extension LambdaService {
    /// `POST /2015-03-31/functions/{name}/versions` → 201 with the version's configuration.
    func publishVersion(_ request: APIRequest, name: String) async throws -> APIResponse {
        let body = try decode(PublishVersionRequest.self, from: request)
        let version = try await catalog.publishVersion(name, codeSha256: body.CodeSha256, description: body.Description,
                                                       revisionId: body.RevisionId)
        // A SnapStart version's init runs now, as AWS runs it when the version is published.
        invoker?.prepareSnapStart(version)
        return try .json(FunctionConfiguration(version, arns: catalog.arns), status: 201)
    }

    /// `GET /2015-03-31/functions/{name}/versions`.
    func listVersions(_ request: APIRequest, name: String) async throws -> APIResponse {
        let listing = try await catalog.listVersions(name, marker: request.queryValue("Marker"), maxItems: try maxItems(request))
        return try .json(ListVersionsByFunctionResponse(
            Versions: listing.versions.map { FunctionConfiguration($0, arns: catalog.arns, qualifier: $0.version) },
            NextMarker: listing.nextMarker))
    }
}
