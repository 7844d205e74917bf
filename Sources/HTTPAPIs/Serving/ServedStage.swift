/// A deployed stage as the data plane serves it: the routes of its deployment, compiled once.
public struct ServedStage: Sendable {
    /// `$default` or the stage's name.
    public var name: String
    public var stageVariables: [String: String]
    public var deploymentId: String
    let routes: RouteTable

    init(stage: Stage, deployment: Deployment) {
        self.name = stage.stageName
        self.stageVariables = stage.stageVariables
        self.deploymentId = deployment.deploymentId
        self.routes = RouteTable(snapshot: deployment.snapshot)
    }

    /// API Gateway's route selection for `method` (upper case) and `path` (within the stage, as sent): exact route
    /// keys beat ones with path variables beat greedy `{proxy+}` (among greedy the longest match); a method-specific
    /// route beats `ANY` for the same path; `$default` last. Path parameters are percent-decoded. nil: no route (404).
    public func match(method: String, path: String) -> RouteMatch? {
        routes.match(method: method, path: path)
    }
}
