import AWSProtocol
import HTTPAPIs

/// Body of CreateDeployment.
public struct CreateDeploymentRequest: Codable, Sendable {
    public var description: String?
    public var stageName: String?
}

/// `Deployment`, and the response of CreateDeployment and GetDeployment.
public struct GetDeploymentResponse: Codable, Sendable {
    public var autoDeployed: Bool?
    public var createdDate: String?
    public var deploymentId: String
    /// Always `DEPLOYED`: a deployment is ready when it is stored.
    public var deploymentStatus: String?
    public var description: String?

    init(_ deployment: Deployment) {
        autoDeployed = deployment.autoDeployed
        createdDate = AWSTimestamp.iso8601(deployment.createdDate)
        deploymentId = deployment.deploymentId
        deploymentStatus = "DEPLOYED"
        description = deployment.description
    }
}

public typealias GetDeploymentsResponse = Page<GetDeploymentResponse>
