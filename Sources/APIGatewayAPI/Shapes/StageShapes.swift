import AWSProtocol
import HTTPAPIs

/// Body of CreateStage and UpdateStage (`stageName` and `tags` on create only).
public struct CreateStageRequest: Codable, Sendable {
    public var accessLogSettings: AccessLogSettings?
    public var autoDeploy: Bool?
    public var clientCertificateId: String?
    public var defaultRouteSettings: RouteSettings?
    public var deploymentId: String?
    public var description: String?
    public var routeSettings: [String: RouteSettings]?
    public var stageName: String?
    public var stageVariables: [String: String]?
    public var tags: [String: String]?

    var input: StageInput {
        var input = StageInput()
        input.accessLogSettings = accessLogSettings
        input.autoDeploy = autoDeploy
        input.clientCertificateId = clientCertificateId
        input.defaultRouteSettings = defaultRouteSettings
        input.deploymentId = deploymentId
        input.description = description
        input.routeSettings = routeSettings
        input.stageVariables = stageVariables
        return input
    }
}

public typealias UpdateStageRequest = CreateStageRequest

/// `Stage`, and the response of CreateStage, GetStage and UpdateStage.
public struct GetStageResponse: Codable, Sendable {
    public var accessLogSettings: AccessLogSettings?
    public var apiGatewayManaged: Bool?
    public var autoDeploy: Bool?
    public var createdDate: String?
    public var defaultRouteSettings: RouteSettings?
    public var deploymentId: String?
    public var description: String?
    public var lastDeploymentStatusMessage: String?
    public var lastUpdatedDate: String?
    public var routeSettings: [String: RouteSettings]?
    public var stageName: String
    public var stageVariables: [String: String]?
    public var tags: [String: String]?

    init(_ stage: Stage) {
        accessLogSettings = stage.accessLogSettings
        apiGatewayManaged = stage.apiGatewayManaged
        autoDeploy = stage.autoDeploy
        createdDate = AWSTimestamp.iso8601(stage.createdDate)
        defaultRouteSettings = stage.defaultRouteSettings ?? RouteSettings(detailedMetricsEnabled: false)
        deploymentId = stage.deploymentId
        description = stage.description
        lastDeploymentStatusMessage = stage.lastDeploymentStatusMessage
        lastUpdatedDate = AWSTimestamp.iso8601(stage.lastUpdatedDate)
        routeSettings = stage.routeSettings ?? [:]
        stageName = stage.stageName
        stageVariables = stage.stageVariables
        tags = stage.tags
    }
}

public typealias GetStagesResponse = Page<GetStageResponse>
