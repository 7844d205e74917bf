import AWSProtocol
import Catalog

/// Function URL configurations (`/2021-10-31/functions/{name}/url[s]`). The URL itself comes from the endpoint
/// registry, which is told about every endpoint created or deleted after the store write.
extension LambdaService {
    func functionUrl(_ config: FunctionURLConfig) -> String {
        endpoints.endpointURL(kind: .functionURL, id: config.urlId)
    }

    func functionUrlConfig(_ config: FunctionURLConfig) -> FunctionUrlConfig {
        FunctionUrlConfig(FunctionUrl: functionUrl(config), FunctionArn: catalog.functionURLArn(config), AuthType: config.authType,
                          Cors: config.cors.map(Cors.init), CreationTime: config.creationTime,
                          LastModifiedTime: config.lastModifiedTime, InvokeMode: config.invokeMode)
    }

    /// `POST /2021-10-31/functions/{name}/url` → 201.
    func createFunctionUrlConfig(_ request: APIRequest, name: String) async throws -> APIResponse {
        let body = try decode(FunctionUrlConfigRequest.self, from: request)
        let registry = endpoints
        let config = try await catalog.createFunctionURL(function: name, qualifier: qualifier(request), input: body.input,
                                                         isAvailable: { registry.isAvailable(kind: .functionURL, id: $0) })
        do {
            try await endpoints.register(kind: .functionURL, id: config.urlId)
        } catch {
            // Without its endpoint the URL is of no use: take the config back rather than report one nobody can reach.
            _ = try? await catalog.deleteFunctionURL(function: config.functionName, qualifier: config.qualifier)
            throw LambdaError.service("Could not open the function URL's endpoint: \(error)")
        }
        return try .json(CreateFunctionUrlConfigResponse(
            FunctionUrl: functionUrl(config), FunctionArn: catalog.functionURLArn(config), AuthType: config.authType,
            Cors: config.cors.map(Cors.init), CreationTime: config.creationTime, InvokeMode: config.invokeMode), status: 201)
    }

    /// `GET /2021-10-31/functions/{name}/url`.
    func getFunctionUrlConfig(_ request: APIRequest, name: String) async throws -> APIResponse {
        try .json(functionUrlConfig(try await catalog.getFunctionURL(function: name, qualifier: qualifier(request))))
    }

    /// `PUT /2021-10-31/functions/{name}/url`.
    func updateFunctionUrlConfig(_ request: APIRequest, name: String) async throws -> APIResponse {
        let body = try decode(FunctionUrlConfigRequest.self, from: request)
        let config = try await catalog.updateFunctionURL(function: name, qualifier: qualifier(request), input: body.input)
        return try .json(functionUrlConfig(config))
    }

    /// `DELETE /2021-10-31/functions/{name}/url` → 204.
    func deleteFunctionUrlConfig(_ request: APIRequest, name: String) async throws -> APIResponse {
        let config = try await catalog.deleteFunctionURL(function: name, qualifier: qualifier(request))
        await endpoints.unregister(kind: .functionURL, id: config.urlId)
        return .empty(status: 204)
    }

    /// `GET /2021-10-31/functions/{name}/urls`.
    func listFunctionUrlConfigs(_ request: APIRequest, name: String) async throws -> APIResponse {
        let (configs, next) = try await catalog.listFunctionURLs(function: name, marker: request.queryValue("Marker"),
                                                                maxItems: try maxItems(request))
        return try .json(ListFunctionUrlConfigsResponse(FunctionUrlConfigs: configs.map(functionUrlConfig), NextMarker: next))
    }

    /// Unregisters the endpoints of configs a function or alias deletion took with it.
    func unregisterFunctionURLs(_ configs: [FunctionURLConfig]) async {
        for config in configs {
            // `try?` flattens: nil when the config is gone (or cannot be read, when unregistering is the safe side).
            let remaining = try? await catalog.functionURL(id: config.urlId)
            if remaining == nil { await endpoints.unregister(kind: .functionURL, id: config.urlId) }
        }
    }

    /// `lambda:FunctionUrlAuthType` for authorizing a URL config operation: the auth type the request sets
    /// (create, update), else the current config's (get, delete, update without one).
    func functionURLAuthType(_ request: APIRequest, name: String, setsAuthType: Bool) async -> String? {
        if setsAuthType, let given = (try? decode(FunctionUrlAuthTypeMember.self, from: request))?.AuthType { return given }
        return try? await catalog.getFunctionURL(function: name, qualifier: qualifier(request)).authType
    }
}
