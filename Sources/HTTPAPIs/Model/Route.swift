/// A route: a route key and what answers it (`Target` = `integrations/<id>`), with its authorization.
public struct Route: Codable, Sendable, Equatable {
    public var routeId: String
    public var routeKey: RouteKey
    /// `integrations/<integrationId>`, or nil for a route with nothing behind it.
    public var target: String?
    public var authorizationType: AuthorizationType
    public var authorizerId: String?
    /// JWT scopes (JWT authorizers only).
    public var authorizationScopes: [String]?
    public var operationName: String?
    /// Created by quick create (CreateApi with Target).
    public var apiGatewayManaged: Bool

    public init(routeId: String, routeKey: RouteKey, target: String? = nil, authorizationType: AuthorizationType = .none,
                authorizerId: String? = nil, authorizationScopes: [String]? = nil, operationName: String? = nil,
                apiGatewayManaged: Bool = false) {
        self.routeId = routeId
        self.routeKey = routeKey
        self.target = target
        self.authorizationType = authorizationType
        self.authorizerId = authorizerId
        self.authorizationScopes = authorizationScopes
        self.operationName = operationName
        self.apiGatewayManaged = apiGatewayManaged
    }

    static let targetPrefix = "integrations/"

    /// The integration id the target names.
    public var integrationId: String? {
        guard let target, target.hasPrefix(Self.targetPrefix) else { return nil }
        return String(target.dropFirst(Self.targetPrefix.count))
    }
}

/// How a route authorizes callers.
public enum AuthorizationType: String, Codable, Sendable {
    case none = "NONE"
    /// SigV4-signed requests, checked against the caller's IAM policies.
    case awsIAM = "AWS_IAM"
    /// A Lambda (REQUEST) authorizer.
    case custom = "CUSTOM"
    /// A JWT authorizer (stored; the data plane does not verify tokens).
    case jwt = "JWT"
}
