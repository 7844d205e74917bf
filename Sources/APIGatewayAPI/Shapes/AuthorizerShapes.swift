import HTTPAPIs

/// Body of CreateAuthorizer and UpdateAuthorizer.
public struct CreateAuthorizerRequest: Codable, Sendable {
    public var authorizerCredentialsArn: String?
    public var authorizerPayloadFormatVersion: String?
    public var authorizerResultTtlInSeconds: Int?
    public var authorizerType: String?
    public var authorizerUri: String?
    public var enableSimpleResponses: Bool?
    public var identitySource: [String]?
    public var identityValidationExpression: String?
    public var jwtConfiguration: JWTConfiguration?
    public var name: String?

    var input: AuthorizerInput {
        var input = AuthorizerInput()
        input.authorizerCredentialsArn = authorizerCredentialsArn
        input.authorizerPayloadFormatVersion = authorizerPayloadFormatVersion
        input.authorizerResultTtlInSeconds = authorizerResultTtlInSeconds
        input.authorizerType = authorizerType
        input.authorizerUri = authorizerUri
        input.enableSimpleResponses = enableSimpleResponses
        input.identitySource = identitySource
        input.identityValidationExpression = identityValidationExpression
        input.jwtConfiguration = jwtConfiguration
        input.name = name
        return input
    }
}

public typealias UpdateAuthorizerRequest = CreateAuthorizerRequest

/// `Authorizer`, and the response of CreateAuthorizer, GetAuthorizer and UpdateAuthorizer.
public struct GetAuthorizerResponse: Codable, Sendable {
    public var authorizerCredentialsArn: String?
    public var authorizerId: String
    public var authorizerPayloadFormatVersion: String?
    public var authorizerResultTtlInSeconds: Int?
    public var authorizerType: String
    public var authorizerUri: String?
    public var enableSimpleResponses: Bool?
    public var identitySource: [String]?
    public var jwtConfiguration: JWTConfiguration?
    public var name: String

    init(_ authorizer: Authorizer) {
        authorizerCredentialsArn = authorizer.authorizerCredentialsArn
        authorizerId = authorizer.authorizerId
        authorizerPayloadFormatVersion = authorizer.authorizerPayloadFormatVersion
        authorizerResultTtlInSeconds = authorizer.authorizerResultTtlInSeconds
        authorizerType = authorizer.authorizerType.rawValue
        authorizerUri = authorizer.authorizerUri
        enableSimpleResponses = authorizer.authorizerType == .request ? authorizer.enableSimpleResponses : nil
        identitySource = authorizer.identitySource
        jwtConfiguration = authorizer.jwtConfiguration
        name = authorizer.name
    }
}

public typealias GetAuthorizersResponse = Page<GetAuthorizerResponse>
