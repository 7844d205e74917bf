extension HTTPAPIDirectory {
    /// CreateDeployment: a snapshot of the API's routes, integrations and authorizers, served by `stageName` (if
    /// given) from now on. Stages with AutoDeploy are deployed automatically and refuse manual deployments.
    public func createDeployment(_ apiId: String, stageName: String?, description: String?) async throws -> Deployment {
        if let description, description.count > 1024 { throw HTTPAPIError.badRequest("Description must be at most 1024 characters.") }
        return try await mutate(apiId) { api, now in
            guard !api.routes.isEmpty else {
                throw HTTPAPIError.badRequest("Unable to deploy API because no routes exist in this API")
            }
            var stageIndex: Int?
            if let stageName {
                guard let index = api.stages.firstIndex(where: { $0.stageName == stageName }) else {
                    throw HTTPAPIError.missing("Stage", stageName)
                }
                if api.stages[index].autoDeploy {
                    throw HTTPAPIError.badRequest("Stage \(stageName) has AutoDeploy enabled: it cannot be deployed manually.")
                }
                stageIndex = index
            }
            let deployment = Deployment(
                deploymentId: ResourceIDs.childId(avoiding: api.deployments.map(\.deploymentId)),
                description: description, createdDate: now, autoDeployed: false, snapshot: api.deployable)
            api.deployments.append(deployment)
            if let stageIndex {
                api.stages[stageIndex].deploymentId = deployment.deploymentId
                api.stages[stageIndex].lastUpdatedDate = now
                api.stages[stageIndex].lastDeploymentStatusMessage =
                    "Successfully deployed stage with deployment ID '\(deployment.deploymentId)'"
            }
            return deployment
        }
    }

    public func getDeployment(_ apiId: String, _ deploymentId: String) async throws -> Deployment {
        let api = try await load(apiId)
        guard let deployment = api.deployment(deploymentId) else { throw HTTPAPIError.missing("Deployment", deploymentId) }
        return deployment
    }

    public func listDeployments(_ apiId: String) async throws -> [Deployment] {
        try await load(apiId).deployments
    }

    /// Refused while a stage serves the deployment, as on AWS.
    public func deleteDeployment(_ apiId: String, _ deploymentId: String) async throws {
        try await mutate(apiId) { api, _ in
            guard api.deployment(deploymentId) != nil else { throw HTTPAPIError.missing("Deployment", deploymentId) }
            if api.stages.contains(where: { $0.deploymentId == deploymentId }) {
                throw HTTPAPIError.badRequest("Active stages pointing to this deployment must be moved or deleted")
            }
            api.deployments.removeAll { $0.deploymentId == deploymentId }
        }
    }
}
