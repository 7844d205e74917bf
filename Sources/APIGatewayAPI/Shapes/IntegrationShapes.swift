import HTTPAPIs

/// Body of CreateIntegration and UpdateIntegration.
public struct CreateIntegrationRequest: Codable, Sendable {
    public var connectionType: String?
    public var credentialsArn: String?
    public var description: String?
    public var integrationMethod: String?
    public var integrationSubtype: String?
    public var integrationType: String?
    public var integrationUri: String?
    public var payloadFormatVersion: String?
    public var timeoutInMillis: Int?

    var input: IntegrationInput {
        var input = IntegrationInput()
        input.connectionType = connectionType
        input.credentialsArn = credentialsArn
        input.description = description
        input.integrationSubtype = integrationSubtype
        input.integrationType = integrationType
        input.integrationUri = integrationUri
        input.payloadFormatVersion = payloadFormatVersion
        input.timeoutInMillis = timeoutInMillis
        return input
    }
}

public typealias UpdateIntegrationRequest = CreateIntegrationRequest

/// `Integration`, and the result of CreateIntegration, GetIntegration and UpdateIntegration.
public struct GetIntegrationResult: Codable, Sendable {
    public var apiGatewayManaged: Bool?
    public var connectionType: String?
    public var credentialsArn: String?
    public var description: String?
    public var integrationId: String
    public var integrationMethod: String?
    public var integrationType: String
    public var integrationUri: String
    public var payloadFormatVersion: String
    public var timeoutInMillis: Int

    init(_ integration: Integration) {
        apiGatewayManaged = integration.apiGatewayManaged
        connectionType = "INTERNET"
        credentialsArn = integration.credentialsArn
        description = integration.description
        integrationId = integration.integrationId
        integrationMethod = "POST"
        integrationType = integration.integrationType
        integrationUri = integration.integrationUri
        payloadFormatVersion = integration.payloadFormatVersion
        timeoutInMillis = integration.timeoutInMillis
    }
}

public typealias GetIntegrationsResponse = Page<GetIntegrationResult>
