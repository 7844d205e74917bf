import HTTPAPIs

/// Body of CreateRoute and UpdateRoute.
public struct CreateRouteRequest: Codable, Sendable {
    public var apiKeyRequired: Bool?
    public var authorizationScopes: [String]?
    public var authorizationType: String?
    public var authorizerId: String?
    public var operationName: String?
    public var routeKey: String?
    public var target: String?

    var input: RouteInput {
        var input = RouteInput()
        input.apiKeyRequired = apiKeyRequired
        input.authorizationScopes = authorizationScopes
        input.authorizationType = authorizationType
        input.authorizerId = authorizerId
        input.operationName = operationName
        input.routeKey = routeKey
        input.target = target
        return input
    }
}

public typealias UpdateRouteRequest = CreateRouteRequest

/// `Route`, and the result of CreateRoute, GetRoute and UpdateRoute.
public struct GetRouteResult: Codable, Sendable {
    public var apiGatewayManaged: Bool?
    public var apiKeyRequired: Bool?
    public var authorizationScopes: [String]?
    public var authorizationType: String?
    public var authorizerId: String?
    public var operationName: String?
    public var routeId: String
    public var routeKey: String
    public var target: String?

    init(_ route: Route) {
        apiGatewayManaged = route.apiGatewayManaged
        apiKeyRequired = false
        authorizationScopes = route.authorizationScopes
        authorizationType = route.authorizationType.rawValue
        authorizerId = route.authorizerId
        operationName = route.operationName
        routeId = route.routeId
        routeKey = route.routeKey.rawValue
        target = route.target
    }
}

public typealias GetRoutesResponse = Page<GetRouteResult>
