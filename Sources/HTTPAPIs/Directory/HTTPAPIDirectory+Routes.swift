extension HTTPAPIDirectory {
    public func createRoute(_ apiId: String, _ input: RouteInput) async throws -> Route {
        guard let text = input.routeKey else { throw HTTPAPIError.badRequest("RouteKey is required.") }
        let key = try RouteKey.parse(text)
        return try await mutate(apiId) { api, _ in
            var route = Route(routeId: ResourceIDs.childId(avoiding: api.routes.map(\.routeId)), routeKey: key)
            try Self.apply(input, to: &route, in: api)
            api.routes.append(route)
            return route
        }
    }

    public func getRoute(_ apiId: String, _ routeId: String) async throws -> Route {
        let api = try await load(apiId)
        guard let route = api.route(routeId) else { throw HTTPAPIError.missing("Route", routeId) }
        return route
    }

    public func listRoutes(_ apiId: String) async throws -> [Route] {
        try await load(apiId).routes
    }

    public func updateRoute(_ apiId: String, _ routeId: String, _ input: RouteInput) async throws -> Route {
        let key = try input.routeKey.map(RouteKey.parse)
        return try await mutate(apiId) { api, _ in
            guard let index = api.routes.firstIndex(where: { $0.routeId == routeId }) else { throw HTTPAPIError.missing("Route", routeId) }
            var route = api.routes[index]
            if let key { route.routeKey = key }
            try Self.apply(input, to: &route, in: api)
            api.routes[index] = route
            return route
        }
    }

    public func deleteRoute(_ apiId: String, _ routeId: String) async throws {
        try await mutate(apiId) { api, _ in
            guard let index = api.routes.firstIndex(where: { $0.routeId == routeId }) else { throw HTTPAPIError.missing("Route", routeId) }
            api.routes.remove(at: index)
        }
    }

    /// Applies the fields other than the key and checks the result against the API: a unique key, a target naming
    /// one of its integrations, and an authorizer that fits the authorization type.
    static func apply(_ input: RouteInput, to route: inout Route, in api: HTTPAPI) throws(HTTPAPIError) {
        if api.routes.contains(where: { $0.routeKey == route.routeKey && $0.routeId != route.routeId }) {
            throw .conflict("Unable to create route. A route with key \(route.routeKey) already exists in this API.")
        }
        if input.apiKeyRequired == true { throw .badRequest("API keys are not supported for HTTP APIs.") }
        if let target = input.target { route.target = target.isEmpty ? nil : target }
        if let target = route.target {
            guard let id = route.integrationId, api.integration(id) != nil else {
                throw .badRequest("Invalid Target \(target): expected integrations/<id> naming an integration of this API.")
            }
        }
        if let text = input.authorizationType {
            guard let type = AuthorizationType(rawValue: text) else { throw .badRequest("Invalid AuthorizationType \(text).") }
            route.authorizationType = type
            if type == .none || type == .awsIAM { route.authorizerId = nil }
        }
        if let id = input.authorizerId { route.authorizerId = id.isEmpty ? nil : id }
        if let scopes = input.authorizationScopes { route.authorizationScopes = scopes.isEmpty ? nil : scopes }
        if let name = input.operationName { route.operationName = name.isEmpty ? nil : name }
        switch route.authorizationType {
        case .none, .awsIAM:
            if route.authorizerId != nil {
                throw .badRequest("An authorizer can only be set with AuthorizationType CUSTOM or JWT.")
            }
        case .custom, .jwt:
            guard let id = route.authorizerId else {
                throw .badRequest("AuthorizationType \(route.authorizationType.rawValue) requires an AuthorizerId.")
            }
            guard let authorizer = api.authorizer(id) else { throw .missing("Authorizer", id) }
            let expected: AuthorizerType = route.authorizationType == .custom ? .request : .jwt
            guard authorizer.authorizerType == expected else {
                throw .badRequest("AuthorizationType \(route.authorizationType.rawValue) needs a \(expected.rawValue) authorizer; \(id) is \(authorizer.authorizerType.rawValue).")
            }
        }
        if route.authorizationScopes != nil, route.authorizationType != .jwt {
            throw .badRequest("AuthorizationScopes are only supported with JWT authorizers.")
        }
    }
}
