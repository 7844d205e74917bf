/// The route a request selected, with what the data plane needs to answer it.
public struct RouteMatch: Sendable {
    /// `GET /items/{id}`, `ANY /{proxy+}` or `$default`.
    public var routeKey: String
    /// Decoded path variables: `{"id": "7"}`; a greedy variable holds the rest of the path: `{"proxy": "a/b"}`.
    public var pathParameters: [String: String]
    /// nil: the route has no target (or its integration is gone). API Gateway answers such a route like an
    /// unmatched one: 404 `{"message":"Not Found"}`.
    public var integration: ServedIntegration?
    /// `NONE`, `CUSTOM` (a REQUEST authorizer: `authorizer`), `AWS_IAM` (SigV4), `JWT` (not verified by Swiftlet).
    public var authorizationType: String
    /// Set when `authorizationType` is `CUSTOM`.
    public var authorizer: ServedAuthorizer?
}

/// An `AWS_PROXY` integration as the data plane invokes it.
public struct ServedIntegration: Sendable, Equatable {
    /// A plain function ARN or a version/alias ARN (`…:function:name:alias`), taken from the IntegrationUri.
    public var functionArn: String
    /// `1.0` or `2.0`.
    public var payloadFormatVersion: String
    public var timeoutMillis: Int
    public var credentialsArn: String?
}

/// A REQUEST (Lambda) authorizer as the data plane runs it.
public struct ServedAuthorizer: Sendable, Equatable {
    public var id: String
    public var functionArn: String
    /// `$request.header.Authorization`, `$request.querystring.token`, `$context.…`, `$stageVariables.…`; all must
    /// be present or the request gets 401 without calling the function. Also the cache key.
    public var identitySources: [String]
    /// `1.0` or `2.0`.
    public var payloadFormatVersion: String
    /// Payload 2.0: `{"isAuthorized": true|false, "context": {…}}` instead of an IAM policy.
    public var enableSimpleResponses: Bool
    /// 0: do not cache.
    public var resultTtlSeconds: Int
}
