import AWSProtocol
import Catalog

extension LambdaService {
    /// `PUT /2015-03-31/functions/{name}/code`.
    func updateFunctionCode(_ request: APIRequest, name: String) async throws -> APIResponse {
        let body = try decode(UpdateFunctionCodeRequest.self, from: request)
        if body.ImageUri != nil {
            throw LambdaError.invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.")
        }
        let definition = try await catalog.updateCode(UpdateFunctionCodeInput(
            functionName: name,
            zipFile: body.ZipFile.map { Array($0) },
            s3Location: body.S3Bucket.map { "s3://\($0)/\(body.S3Key ?? "")" },
            revisionId: body.RevisionId,
            dryRun: body.DryRun ?? false,
            publish: body.Publish ?? false,
            architectures: body.Architectures
        ))
        invoker?.functionChanged(definition.name, version: "$LATEST")
        return try .json(FunctionConfiguration(definition, arns: catalog.arns))
    }

    /// `PUT /2015-03-31/functions/{name}/configuration`.
    func updateFunctionConfiguration(_ request: APIRequest, name: String) async throws -> APIResponse {
        let body = try decode(UpdateFunctionConfigurationRequest.self, from: request)
        try checkSnapStart(body.SnapStart)
        let definition = try await catalog.updateConfiguration(name, settings: FunctionSettings(body), revisionId: body.RevisionId)
        invoker?.functionChanged(definition.name, version: "$LATEST")
        return try .json(FunctionConfiguration(definition, arns: catalog.arns))
    }

    /// `DELETE /2015-03-31/functions/{name}` → 204.
    func deleteFunction(_ request: APIRequest, name: String) async throws -> APIResponse {
        let qualifier = qualifier(request)
        let urls = qualifier == nil ? await catalog.functionURLs(ofFunction: name) : []
        try await catalog.delete(name, qualifier: qualifier)
        await unregisterFunctionURLs(urls)
        if let id = try? FunctionIdentifier.parse(name) { invoker?.functionChanged(id.name, version: qualifier ?? id.qualifier) }
        return .empty(status: 204)
    }
}
