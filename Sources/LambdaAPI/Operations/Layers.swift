import AWSProtocol
import Catalog

extension LambdaService {
    func layerVersionResponse(_ layer: LayerVersionDefinition, request: APIRequest) -> LayerVersionResponse {
        let location = codeSigner.presignedURL(
            baseURL: request.baseURL, host: request.host,
            rawPath: "/" + (LambdaRoute.layerCodePathPrefix + [layer.layerName, String(layer.version)]).joined(separator: "/"),
            expires: 600)
        return LayerVersionResponse(
            Content: LayerVersionContentOutput(Location: location, CodeSha256: layer.content.sha256Base64, CodeSize: layer.content.size),
            LayerArn: catalog.layerArn(layer.layerName), LayerVersionArn: catalog.layerVersionArn(layer),
            Description: layer.description, CreatedDate: AWSTimestamp.lambdaString(layer.createdDate), Version: layer.version,
            CompatibleRuntimes: layer.compatibleRuntimes, CompatibleArchitectures: layer.compatibleArchitectures,
            LicenseInfo: layer.licenseInfo)
    }

    func layerVersionsListItem(_ layer: LayerVersionDefinition) -> LayerVersionsListItem {
        LayerVersionsListItem(
            LayerVersionArn: catalog.layerVersionArn(layer), Version: layer.version, Description: layer.description,
            CreatedDate: AWSTimestamp.lambdaString(layer.createdDate), CompatibleRuntimes: layer.compatibleRuntimes,
            CompatibleArchitectures: layer.compatibleArchitectures, LicenseInfo: layer.licenseInfo)
    }

    /// The `{VersionNumber}` path label.
    func layerVersionNumber(_ raw: String) throws -> Int {
        guard let number = Int(raw) else {
            throw LambdaError.invalidParameter("Invalid layer version number: \(raw)")
        }
        return number
    }

    /// `POST /2018-10-31/layers/{name}/versions` → 201.
    func publishLayerVersion(_ request: APIRequest, name: String) async throws -> APIResponse {
        let body = try decode(PublishLayerVersionRequest.self, from: request)
        guard let content = body.Content else { throw LambdaError.invalidParameter("Content is a required parameter.") }
        let layer = try await catalog.publishLayerVersion(PublishLayerVersionInput(
            layerName: name, description: body.Description, zipFile: content.ZipFile.map { Array($0) },
            s3Location: content.S3Bucket.map { "s3://\($0)/\(content.S3Key ?? "")" },
            compatibleRuntimes: body.CompatibleRuntimes, compatibleArchitectures: body.CompatibleArchitectures,
            licenseInfo: body.LicenseInfo))
        return try .json(layerVersionResponse(layer, request: request), status: 201)
    }

    /// `GET /2018-10-31/layers/{name}/versions/{n}`.
    func getLayerVersion(_ request: APIRequest, name: String, version: String) async throws -> APIResponse {
        let layer = try await catalog.layerVersion(name, number: try layerVersionNumber(version))
        return try .json(layerVersionResponse(layer, request: request))
    }

    /// `GET /2018-10-31/layers?find=LayerVersion&Arn=…`.
    func getLayerVersionByArn(_ request: APIRequest) async throws -> APIResponse {
        guard let arn = request.queryValue("Arn"), !arn.isEmpty else {
            throw LambdaError.invalidParameter("Arn is a required parameter.")
        }
        return try .json(layerVersionResponse(try await catalog.layerVersion(arn: arn), request: request))
    }

    /// `GET /2018-10-31/layers/{name}/versions`.
    func listLayerVersions(_ request: APIRequest, name: String) async throws -> APIResponse {
        let versions = try await catalog.layerVersions(name, runtime: request.queryValue("CompatibleRuntime"),
                                                       architecture: request.queryValue("CompatibleArchitecture"))
        let (page, next) = try paginate(versions, request: request, key: { String($0.version) })
        return try .json(ListLayerVersionsResponse(LayerVersions: page.map(layerVersionsListItem), NextMarker: next))
    }

    /// `GET /2018-10-31/layers`.
    func listLayers(_ request: APIRequest) async throws -> APIResponse {
        let layers = try await catalog.layers(runtime: request.queryValue("CompatibleRuntime"),
                                              architecture: request.queryValue("CompatibleArchitecture"))
        let (page, next) = try paginate(layers, request: request, key: { $0.layerName })
        return try .json(ListLayersResponse(
            Layers: page.map { LayersListItem(LayerName: $0.layerName, LayerArn: catalog.layerArn($0.layerName),
                                              LatestMatchingVersion: layerVersionsListItem($0.latest)) },
            NextMarker: next))
    }

    /// `DELETE /2018-10-31/layers/{name}/versions/{n}` → 204, also when it was already gone.
    func deleteLayerVersion(_ request: APIRequest, name: String, version: String) async throws -> APIResponse {
        try await catalog.deleteLayerVersion(name, number: try layerVersionNumber(version))
        return .empty(status: 204)
    }

    /// The presigned download behind a layer's `Content.Location`.
    func downloadLayer(_ request: APIRequest, name: String, version: String) async throws -> APIResponse {
        let layer = try await catalog.layerVersion(name, number: try layerVersionNumber(version))
        let zip = try await catalog.blobs.fetch(layer.content.digest)
        return APIResponse(status: 200, headers: [("content-type", "application/zip")], body: Array(zip))
    }
}
