/// An authorizer of an HTTP API. REQUEST authorizers run a Lambda function; JWT authorizers are stored and
/// returned, but the data plane does not verify JSON Web Tokens.
public struct Authorizer: Codable, Sendable, Equatable {
    public var authorizerId: String
    public var name: String
    public var authorizerType: AuthorizerType
    /// `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations` (REQUEST).
    public var authorizerUri: String?
    /// `$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`.
    public var identitySource: [String]
    /// `1.0` or `2.0` (REQUEST).
    public var authorizerPayloadFormatVersion: String?
    /// Payload 2.0 only: the function answers `{"isAuthorized": …}` instead of an IAM policy.
    public var enableSimpleResponses: Bool
    /// 0…3600; 0 turns caching off.
    public var authorizerResultTtlInSeconds: Int
    public var authorizerCredentialsArn: String?
    public var jwtConfiguration: JWTConfiguration?

    public static let defaultResultTtlSeconds = 300
    public static let ttlRange = 0...3600

    public init(authorizerId: String, name: String, authorizerType: AuthorizerType, authorizerUri: String? = nil,
                identitySource: [String] = [], authorizerPayloadFormatVersion: String? = nil, enableSimpleResponses: Bool = false,
                authorizerResultTtlInSeconds: Int = Authorizer.defaultResultTtlSeconds, authorizerCredentialsArn: String? = nil,
                jwtConfiguration: JWTConfiguration? = nil) {
        self.authorizerId = authorizerId
        self.name = name
        self.authorizerType = authorizerType
        self.authorizerUri = authorizerUri
        self.identitySource = identitySource
        self.authorizerPayloadFormatVersion = authorizerPayloadFormatVersion
        self.enableSimpleResponses = enableSimpleResponses
        self.authorizerResultTtlInSeconds = authorizerResultTtlInSeconds
        self.authorizerCredentialsArn = authorizerCredentialsArn
        self.jwtConfiguration = jwtConfiguration
    }

    /// The function a REQUEST authorizer runs.
    public var functionArn: String? { authorizerUri.flatMap(LambdaTarget.functionArn(inInvocationURI:)) }
}

public enum AuthorizerType: String, Codable, Sendable {
    case request = "REQUEST"
    case jwt = "JWT"
}

/// A JWT authorizer's issuer and audiences.
public struct JWTConfiguration: Codable, Sendable, Equatable {
    public var audience: [String]?
    public var issuer: String?

    public init(audience: [String]? = nil, issuer: String? = nil) {
        self.audience = audience
        self.issuer = issuer
    }
}
