import Foundation

/// One HTTP API with everything that belongs to it, stored as one document: a write replaces the whole document
/// in one transaction (compare-and-swap on `revision`), so concurrent writes never lose each other.
public struct HTTPAPI: Codable, Sendable, Equatable {
    public var apiId: String
    public var name: String
    public var description: String?
    public var version: String?
    public var createdDate: Date
    public var cors: CorsConfiguration?
    public var disableExecuteApiEndpoint: Bool
    public var disableSchemaValidation: Bool?
    /// `ipv4` or `dualstack`.
    public var ipAddressType: String
    public var apiKeySelectionExpression: String
    public var routeSelectionExpression: String
    public var tags: [String: String]
    public var routes: [Route]
    public var integrations: [Integration]
    public var authorizers: [Authorizer]
    public var stages: [Stage]
    public var deployments: [Deployment]
    /// Incremented by every write; the store replaces a document only if it still has the revision read.
    public var revision: Int

    /// The only route selection expression HTTP APIs accept (and their default).
    public static let httpRouteSelectionExpression = "${request.method} ${request.path}"
    public static let defaultApiKeySelectionExpression = "$request.header.x-api-key"

    public init(apiId: String, name: String, createdDate: Date) {
        self.apiId = apiId
        self.name = name
        self.createdDate = createdDate
        self.disableExecuteApiEndpoint = false
        self.ipAddressType = "ipv4"
        self.apiKeySelectionExpression = Self.defaultApiKeySelectionExpression
        self.routeSelectionExpression = Self.httpRouteSelectionExpression
        self.tags = [:]
        self.routes = []
        self.integrations = []
        self.authorizers = []
        self.stages = []
        self.deployments = []
        self.revision = 0
    }

    /// What a deployment would capture now.
    public var deployable: DeploymentSnapshot {
        DeploymentSnapshot(routes: routes, integrations: integrations, authorizers: authorizers)
    }

    public func route(_ id: String) -> Route? { routes.first { $0.routeId == id } }
    public func integration(_ id: String) -> Integration? { integrations.first { $0.integrationId == id } }
    public func authorizer(_ id: String) -> Authorizer? { authorizers.first { $0.authorizerId == id } }
    public func stage(_ name: String) -> Stage? { stages.first { $0.stageName == name } }
    public func deployment(_ id: String) -> Deployment? { deployments.first { $0.deploymentId == id } }
}

/// `ProtocolType` of CreateApi. Only HTTP APIs are served; WebSocket APIs are refused.
public enum ProtocolType: String, Codable, Sendable {
    case http = "HTTP"
    case websocket = "WEBSOCKET"
}
