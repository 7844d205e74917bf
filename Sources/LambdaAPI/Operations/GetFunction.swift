import AWSProtocol
import Catalog

extension LambdaService {
    /// `GET /2015-03-31/functions/{name}` → configuration, code location, tags.
    func getFunction(_ request: APIRequest, name: String) async throws -> APIResponse {
        let (definition, qualifier) = try await catalog.resolve(name, qualifier: qualifier(request))
        let tags = try await catalog.tags(ofFunction: definition.name)
        let location = codeSigner.presignedURL(
            baseURL: request.baseURL, host: request.host,
            rawPath: "/" + (LambdaRoute.codePathPrefix + [definition.name, definition.code.digest.hex]).joined(separator: "/"),
            expires: 600
        )
        let response = GetFunctionResponse(
            Configuration: FunctionConfiguration(definition, arns: catalog.arns, qualifier: qualifier),
            Code: FunctionCodeLocation(RepositoryType: "S3", Location: location),
            Tags: tags,
            Concurrency: try await catalog.store.reservedConcurrency(of: definition.name).map { Concurrency(ReservedConcurrentExecutions: $0) }
        )
        return try .json(response)
    }

    /// `GET /2015-03-31/functions/{name}/configuration`.
    func getFunctionConfiguration(_ request: APIRequest, name: String) async throws -> APIResponse {
        let (definition, qualifier) = try await catalog.resolve(name, qualifier: qualifier(request))
        return try .json(FunctionConfiguration(definition, arns: catalog.arns, qualifier: qualifier))
    }

    /// The presigned download behind `Code.Location`: the original zip.
    func downloadCode(_ request: APIRequest, name: String, digest: String) async throws -> APIResponse {
        let zip = try await catalog.code(of: name, digest: digest)
        return APIResponse(status: 200, headers: [("content-type", "application/zip")], body: Array(zip))
    }
}
