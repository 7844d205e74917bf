import Foundation

/// An immutable snapshot of an API's routes, integrations and authorizers; a stage serves one.
public struct Deployment: Codable, Sendable, Equatable {
    public var deploymentId: String
    public var description: String?
    public var createdDate: Date
    /// Made by a stage's AutoDeploy rather than CreateDeployment.
    public var autoDeployed: Bool
    public var snapshot: DeploymentSnapshot

    public init(deploymentId: String, description: String? = nil, createdDate: Date, autoDeployed: Bool, snapshot: DeploymentSnapshot) {
        self.deploymentId = deploymentId
        self.description = description
        self.createdDate = createdDate
        self.autoDeployed = autoDeployed
        self.snapshot = snapshot
    }
}

/// What a deployment freezes.
public struct DeploymentSnapshot: Codable, Sendable, Equatable {
    public var routes: [Route]
    public var integrations: [Integration]
    public var authorizers: [Authorizer]

    public init(routes: [Route], integrations: [Integration], authorizers: [Authorizer]) {
        self.routes = routes
        self.integrations = integrations
        self.authorizers = authorizers
    }
}
