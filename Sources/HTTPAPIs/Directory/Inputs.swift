/// The fields of a CreateApi/UpdateApi request: nil leaves a field as it is (or takes the default on create).
public struct APIInput: Sendable {
    public var name: String?
    /// Create only: `HTTP` (`WEBSOCKET` is refused).
    public var protocolType: String?
    public var description: String?
    public var version: String?
    public var cors: CorsConfiguration?
    public var disableExecuteApiEndpoint: Bool?
    public var disableSchemaValidation: Bool?
    public var ipAddressType: String?
    public var routeSelectionExpression: String?
    public var apiKeySelectionExpression: String?
    public var tags: [String: String]?
    /// Quick create: the Lambda function ARN the API's `$default` (or `routeKey`) route goes to.
    public var target: String?
    public var routeKey: String?
    /// Quick create: the role the managed integration invokes the function with.
    public var credentialsArn: String?

    public init() {}
}

/// The fields of a CreateRoute/UpdateRoute request (nil: unchanged). An empty `target` or `authorizerId`
/// detaches it.
public struct RouteInput: Sendable {
    public var routeKey: String?
    public var target: String?
    public var authorizationType: String?
    public var authorizerId: String?
    public var authorizationScopes: [String]?
    public var operationName: String?
    public var apiKeyRequired: Bool?

    public init() {}
}

/// The fields of a CreateIntegration/UpdateIntegration request (nil: unchanged).
public struct IntegrationInput: Sendable {
    public var integrationType: String?
    public var integrationSubtype: String?
    public var integrationUri: String?
    public var connectionType: String?
    public var payloadFormatVersion: String?
    public var timeoutInMillis: Int?
    public var credentialsArn: String?
    public var description: String?

    public init() {}
}

/// The fields of a CreateAuthorizer/UpdateAuthorizer request (nil: unchanged).
public struct AuthorizerInput: Sendable {
    public var name: String?
    public var authorizerType: String?
    public var authorizerUri: String?
    public var identitySource: [String]?
    public var authorizerPayloadFormatVersion: String?
    public var enableSimpleResponses: Bool?
    public var authorizerResultTtlInSeconds: Int?
    public var authorizerCredentialsArn: String?
    public var jwtConfiguration: JWTConfiguration?
    public var identityValidationExpression: String?

    public init() {}
}

/// The fields of a CreateStage/UpdateStage request (nil: unchanged).
public struct StageInput: Sendable {
    public var autoDeploy: Bool?
    public var deploymentId: String?
    public var description: String?
    public var stageVariables: [String: String]?
    public var defaultRouteSettings: RouteSettings?
    public var routeSettings: [String: RouteSettings]?
    public var accessLogSettings: AccessLogSettings?
    public var clientCertificateId: String?

    public init() {}
}
