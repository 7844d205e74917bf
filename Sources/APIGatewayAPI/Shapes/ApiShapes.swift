import AWSProtocol
import HTTPAPIs

/// `Cors`, `RouteSettings`, `AccessLogSettings`, `JWTConfiguration`: the domain types carry the wire's member
/// names (`allowOrigins`, `throttlingBurstLimit`, …), so the shapes are those types.
public typealias Cors = CorsConfiguration

/// Body of CreateApi (and of UpdateApi, which has the same members but `protocolType`).
public struct CreateApiRequest: Codable, Sendable {
    public var apiKeySelectionExpression: String?
    public var corsConfiguration: Cors?
    public var credentialsArn: String?
    public var description: String?
    public var disableSchemaValidation: Bool?
    public var disableExecuteApiEndpoint: Bool?
    public var ipAddressType: String?
    public var name: String?
    public var protocolType: String?
    public var routeKey: String?
    public var routeSelectionExpression: String?
    public var tags: [String: String]?
    public var target: String?
    public var version: String?

    var input: APIInput {
        var input = APIInput()
        input.apiKeySelectionExpression = apiKeySelectionExpression
        input.cors = corsConfiguration
        input.credentialsArn = credentialsArn
        input.description = description
        input.disableSchemaValidation = disableSchemaValidation
        input.disableExecuteApiEndpoint = disableExecuteApiEndpoint
        input.ipAddressType = ipAddressType
        input.name = name
        input.protocolType = protocolType
        input.routeKey = routeKey
        input.routeSelectionExpression = routeSelectionExpression
        input.tags = tags
        input.target = target
        input.version = version
        return input
    }
}

public typealias UpdateApiRequest = CreateApiRequest

/// `Api`, and the response of CreateApi, GetApi and UpdateApi.
public struct GetApiResponse: Codable, Sendable {
    public var apiEndpoint: String?
    public var apiGatewayManaged: Bool?
    public var apiId: String
    public var apiKeySelectionExpression: String?
    public var corsConfiguration: Cors?
    public var createdDate: String?
    public var description: String?
    public var disableSchemaValidation: Bool?
    public var disableExecuteApiEndpoint: Bool?
    public var ipAddressType: String?
    public var name: String
    public var protocolType: String
    public var routeSelectionExpression: String
    public var tags: [String: String]?
    public var version: String?

    init(_ api: HTTPAPI, endpoint: String) {
        apiEndpoint = endpoint
        apiId = api.apiId
        apiKeySelectionExpression = api.apiKeySelectionExpression
        corsConfiguration = api.cors
        createdDate = AWSTimestamp.iso8601(api.createdDate)
        description = api.description
        disableSchemaValidation = api.disableSchemaValidation
        disableExecuteApiEndpoint = api.disableExecuteApiEndpoint
        ipAddressType = api.ipAddressType
        name = api.name
        protocolType = ProtocolType.http.rawValue
        routeSelectionExpression = api.routeSelectionExpression
        tags = api.tags
        version = api.version
    }
}

/// A page of a Get* list operation: `items` and the `nextToken` of the next page.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var nextToken: String?
}

public typealias GetApisResponse = Page<GetApiResponse>
