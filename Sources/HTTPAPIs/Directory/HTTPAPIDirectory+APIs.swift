import AWSProtocol
import Foundation

extension HTTPAPIDirectory {
    /// CreateApi. With `target` (quick create): an `AWS_PROXY` integration (payload 2.0) to that function, a
    /// `$default` route (or `routeKey`) to it, and a `$default` stage with AutoDeploy, all API Gateway-managed.
    public func createAPI(_ input: APIInput) async throws -> HTTPAPI {
        guard let name = input.name else { throw HTTPAPIError.badRequest("Name is required.") }
        try Self.validateName(name)
        switch input.protocolType.map(ProtocolType.init(rawValue:)) {
        case .some(.some(.http)): break
        case .some(.some(.websocket)):
            throw HTTPAPIError.badRequest("Swiftlet serves HTTP APIs only: ProtocolType WEBSOCKET is not supported.")
        default:
            throw HTTPAPIError.badRequest("Invalid ProtocolType \(input.protocolType ?? "(none)"); expected HTTP.")
        }
        if input.routeKey != nil || input.credentialsArn != nil, input.target == nil {
            throw HTTPAPIError.badRequest("RouteKey and CredentialsArn can only be specified along with Target (quick create).")
        }
        let now = Date()
        var api = HTTPAPI(apiId: "", name: name, createdDate: now)
        try Self.apply(input, to: &api)
        if let tags = input.tags {
            try Self.validateTags(tags)
            api.tags = tags
        }
        if let target = input.target {
            let functionArn = try Self.quickCreateTarget(target)
            let integrationId = ResourceIDs.childId(avoiding: [])
            api.integrations = [Integration(
                integrationId: integrationId, integrationUri: functionArn, payloadFormatVersion: "2.0",
                credentialsArn: input.credentialsArn, apiGatewayManaged: true)]
            let key = try RouteKey.parse(input.routeKey ?? RouteKey.defaultKey)
            api.routes = [Route(routeId: ResourceIDs.childId(avoiding: []), routeKey: key,
                                target: Route.targetPrefix + integrationId, apiGatewayManaged: true)]
            api.stages = [Stage(stageName: Stage.defaultName, autoDeploy: true, createdDate: now, apiGatewayManaged: true)]
            Self.autoDeploy(&api, at: now)
        }
        for _ in 0..<Self.writeAttempts {
            let id = ResourceIDs.apiId()
            guard endpoints.isAvailable(kind: .httpAPI, id: id) else { continue }
            api.apiId = id
            do {
                try await store.insertHTTPAPI(api)
            } catch HTTPAPIStoreError.alreadyExists {
                continue
            }
            invalidate(id)
            do {
                try await endpoints.register(kind: .httpAPI, id: id)
            } catch {
                logger.error("could not make the HTTP API reachable", metadata: ["apiId": "\(id)", "error": "\(error)"])
                _ = try? await store.deleteHTTPAPI(id: id)
                invalidate(id)
                throw error
            }
            return api
        }
        throw HTTPAPIError.tooManyRequests("Could not draw a free API identifier; try again.")
    }

    public func getAPI(_ apiId: String) async throws -> HTTPAPI {
        try await load(apiId)
    }

    /// Every API, ordered by id.
    public func listAPIs() async throws -> [HTTPAPI] {
        try await store.allHTTPAPIs()
    }

    /// UpdateApi. `target`/`routeKey`/`credentialsArn` update the resources quick create made (and only those).
    public func updateAPI(_ apiId: String, _ input: APIInput) async throws -> HTTPAPI {
        if let name = input.name { try Self.validateName(name) }
        if input.protocolType != nil { throw HTTPAPIError.badRequest("ProtocolType cannot be updated.") }
        let functionArn = try input.target.map(Self.quickCreateTarget)
        let routeKey = try input.routeKey.map(RouteKey.parse)
        return try await mutate(apiId) { api, _ in
            try Self.apply(input, to: &api)
            if functionArn != nil || input.credentialsArn != nil {
                guard let index = api.integrations.firstIndex(where: \.apiGatewayManaged) else {
                    throw HTTPAPIError.badRequest("Target and CredentialsArn can only be updated on an API made by quick create.")
                }
                if let functionArn { api.integrations[index].integrationUri = functionArn }
                if let arn = input.credentialsArn { api.integrations[index].credentialsArn = arn.isEmpty ? nil : arn }
            }
            if let routeKey {
                guard let index = api.routes.firstIndex(where: \.apiGatewayManaged) else {
                    throw HTTPAPIError.badRequest("RouteKey can only be updated on an API made by quick create.")
                }
                if api.routes.contains(where: { $0.routeKey == routeKey && $0.routeId != api.routes[index].routeId }) {
                    throw HTTPAPIError.conflict("Unable to update route. A route with key \(routeKey) already exists in this API.")
                }
                api.routes[index].routeKey = routeKey
            }
            return api
        }
    }

    public func deleteAPI(_ apiId: String) async throws {
        guard try await store.deleteHTTPAPI(id: apiId) else { throw Self.apiNotFound(apiId, accountId: accountId) }
        invalidate(apiId)
        await endpoints.unregister(kind: .httpAPI, id: apiId)
    }

    /// DeleteCorsConfiguration.
    public func deleteCors(_ apiId: String) async throws {
        try await mutate(apiId) { api, _ in api.cors = nil }
    }

    // MARK: Validation

    static func validateName(_ name: String) throws(HTTPAPIError) {
        guard (1...128).contains(name.count) else { throw .badRequest("Name must be between 1 and 128 characters.") }
    }

    /// The settable fields of `input` that are not quick create's.
    static func apply(_ input: APIInput, to api: inout HTTPAPI) throws(HTTPAPIError) {
        if let name = input.name { api.name = name }
        if let description = input.description {
            guard description.count <= 1024 else { throw .badRequest("Description must be at most 1024 characters.") }
            api.description = description
        }
        if let version = input.version {
            guard version.count <= 64 else { throw .badRequest("Version must be at most 64 characters.") }
            api.version = version
        }
        if let cors = input.cors {
            try cors.validate()
            api.cors = cors
        }
        if let disable = input.disableExecuteApiEndpoint { api.disableExecuteApiEndpoint = disable }
        if let disable = input.disableSchemaValidation { api.disableSchemaValidation = disable }
        if let type = input.ipAddressType {
            guard type == "ipv4" || type == "dualstack" else { throw .badRequest("Invalid IpAddressType \(type).") }
            api.ipAddressType = type
        }
        if let expression = input.routeSelectionExpression, expression != HTTPAPI.httpRouteSelectionExpression {
            throw .badRequest("The route selection expression of an HTTP API must be \(HTTPAPI.httpRouteSelectionExpression).")
        }
        if let expression = input.apiKeySelectionExpression {
            guard expression == "$request.header.x-api-key" || expression == "$context.authorizer.usageIdentifierKey" else {
                throw .badRequest("Invalid ApiKeySelectionExpression \(expression).")
            }
            api.apiKeySelectionExpression = expression
        }
    }

    /// Quick create's Target: a Lambda function ARN (or its API Gateway invocation URI).
    static func quickCreateTarget(_ target: String) throws(HTTPAPIError) -> String {
        if LambdaTarget.functionArn(in: target) != nil { return target }
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            throw .badRequest("Swiftlet integrates HTTP APIs with Lambda functions only: HTTP_PROXY targets are not supported.")
        }
        throw .badRequest("Invalid Target \(target): expected a Lambda function ARN.")
    }
}
