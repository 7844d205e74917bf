extension HTTPAPIDirectory {
    public func createIntegration(_ apiId: String, _ input: IntegrationInput) async throws -> Integration {
        guard input.integrationType != nil else { throw HTTPAPIError.badRequest("IntegrationType is required.") }
        guard input.payloadFormatVersion != nil else {
            throw HTTPAPIError.badRequest("PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs (1.0 or 2.0).")
        }
        return try await mutate(apiId) { api, _ in
            var integration = Integration(
                integrationId: ResourceIDs.childId(avoiding: api.integrations.map(\.integrationId)),
                integrationUri: "", payloadFormatVersion: "")
            try Self.apply(input, to: &integration)
            api.integrations.append(integration)
            return integration
        }
    }

    public func getIntegration(_ apiId: String, _ integrationId: String) async throws -> Integration {
        let api = try await load(apiId)
        guard let integration = api.integration(integrationId) else { throw HTTPAPIError.missing("Integration", integrationId) }
        return integration
    }

    public func listIntegrations(_ apiId: String) async throws -> [Integration] {
        try await load(apiId).integrations
    }

    public func updateIntegration(_ apiId: String, _ integrationId: String, _ input: IntegrationInput) async throws -> Integration {
        try await mutate(apiId) { api, _ in
            guard let index = api.integrations.firstIndex(where: { $0.integrationId == integrationId }) else {
                throw HTTPAPIError.missing("Integration", integrationId)
            }
            try Self.apply(input, to: &api.integrations[index])
            return api.integrations[index]
        }
    }

    /// Refused while a route targets the integration, as on AWS.
    public func deleteIntegration(_ apiId: String, _ integrationId: String) async throws {
        try await mutate(apiId) { api, _ in
            guard api.integration(integrationId) != nil else { throw HTTPAPIError.missing("Integration", integrationId) }
            if let route = api.routes.first(where: { $0.integrationId == integrationId }) {
                throw HTTPAPIError.badRequest("Cannot delete Integration '\(integrationId)', is referenced in Route: \(route.routeKey)")
            }
            api.integrations.removeAll { $0.integrationId == integrationId }
        }
    }

    /// Applies and checks the fields: Swiftlet serves `AWS_PROXY` integrations with Lambda functions only.
    static func apply(_ input: IntegrationInput, to integration: inout Integration) throws(HTTPAPIError) {
        if let type = input.integrationType, type != Integration.proxyType {
            throw .badRequest("IntegrationType \(type) is not supported by Swiftlet: HTTP APIs integrate with Lambda functions (AWS_PROXY) only.")
        }
        if input.integrationSubtype != nil {
            throw .badRequest("IntegrationSubtype (AWS service integrations) is not supported by Swiftlet.")
        }
        if let connection = input.connectionType, connection != "INTERNET" {
            throw .badRequest("ConnectionType \(connection) is not supported by Swiftlet.")
        }
        if let uri = input.integrationUri {
            guard LambdaTarget.functionArn(in: uri) != nil else {
                throw .badRequest("Invalid IntegrationUri \(uri): expected a Lambda function ARN or its arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations URI.")
            }
            integration.integrationUri = uri
        }
        if integration.integrationUri.isEmpty { throw .badRequest("IntegrationUri is required for AWS_PROXY integrations.") }
        if let version = input.payloadFormatVersion {
            guard Integration.payloadFormatVersions.contains(version) else {
                throw .badRequest("Invalid PayloadFormatVersion \(version): supported values are 1.0 and 2.0.")
            }
            integration.payloadFormatVersion = version
        }
        if let timeout = input.timeoutInMillis {
            guard Integration.timeoutRange.contains(timeout) else {
                throw .badRequest("TimeoutInMillis must be between 50 and 30000 for HTTP APIs.")
            }
            integration.timeoutInMillis = timeout
        }
        if let arn = input.credentialsArn {
            guard arn.isEmpty || arn.hasPrefix("arn:aws:iam::") else { throw .badRequest("Invalid CredentialsArn \(arn).") }
            integration.credentialsArn = arn.isEmpty ? nil : arn
        }
        if let description = input.description { integration.description = description.isEmpty ? nil : description }
    }
}
