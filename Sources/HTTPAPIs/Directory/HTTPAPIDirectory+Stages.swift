import Foundation

extension HTTPAPIDirectory {
    /// CreateStage. An AutoDeploy stage gets a deployment of the API as it is now.
    public func createStage(_ apiId: String, name: String, _ input: StageInput, tags: [String: String]?) async throws -> Stage {
        try Stage.validateName(name)
        if let tags { try Self.validateTags(tags) }
        return try await mutate(apiId) { api, now in
            if api.stage(name) != nil { throw HTTPAPIError.conflict("Stage already exist: \(name)") }
            var stage = Stage(stageName: name, tags: tags ?? [:], createdDate: now)
            try Self.apply(input, to: &stage, in: api)
            api.stages.append(stage)
            if stage.autoDeploy { Self.autoDeploy(&api, at: now, only: [name]) }
            return api.stage(name)!
        }
    }

    public func getStage(_ apiId: String, _ name: String) async throws -> Stage {
        let api = try await load(apiId)
        guard let stage = api.stage(name) else { throw HTTPAPIError.missing("Stage", name) }
        return stage
    }

    public func listStages(_ apiId: String) async throws -> [Stage] {
        try await load(apiId).stages
    }

    /// UpdateStage. Turning AutoDeploy on deploys the API as it is now to the stage.
    public func updateStage(_ apiId: String, _ name: String, _ input: StageInput) async throws -> Stage {
        try await mutate(apiId) { api, now in
            guard let index = api.stages.firstIndex(where: { $0.stageName == name }) else { throw HTTPAPIError.missing("Stage", name) }
            var stage = api.stages[index]
            try Self.apply(input, to: &stage, in: api)
            stage.lastUpdatedDate = now
            let deploy = stage.autoDeploy && !api.stages[index].autoDeploy
            api.stages[index] = stage
            if deploy { Self.autoDeploy(&api, at: now, only: [name]) }
            return api.stages[index]
        }
    }

    public func deleteStage(_ apiId: String, _ name: String) async throws {
        try await mutate(apiId) { api, _ in
            guard api.stage(name) != nil else { throw HTTPAPIError.missing("Stage", name) }
            api.stages.removeAll { $0.stageName == name }
            Self.pruneAutoDeployments(&api)
        }
    }

    static func apply(_ input: StageInput, to stage: inout Stage, in api: HTTPAPI) throws(HTTPAPIError) {
        if input.clientCertificateId != nil { throw .badRequest("Client certificates are not supported for HTTP APIs.") }
        if let autoDeploy = input.autoDeploy { stage.autoDeploy = autoDeploy }
        if let id = input.deploymentId {
            guard api.deployment(id) != nil else { throw .missing("Deployment", id) }
            stage.deploymentId = id
        }
        if let description = input.description {
            guard description.count <= 1024 else { throw .badRequest("Description must be at most 1024 characters.") }
            stage.description = description.isEmpty ? nil : description
        }
        if let variables = input.stageVariables {
            try validateStageVariables(variables)
            stage.stageVariables = variables
        }
        if let settings = input.defaultRouteSettings { stage.defaultRouteSettings = settings }
        if let settings = input.routeSettings {
            for key in settings.keys where !api.routes.contains(where: { $0.routeKey.rawValue == key }) {
                throw .notFound(resourceType: "Route", message: "Unable to find Route by key \(key) within the provided RouteSettings")
            }
            stage.routeSettings = settings
        }
        if let logs = input.accessLogSettings { stage.accessLogSettings = logs }
    }

    /// Names of letters, digits and `_` (1–64); values of `[A-Za-z0-9-._~:/?#&=,]` (at most 2048).
    static func validateStageVariables(_ variables: [String: String]) throws(HTTPAPIError) {
        for (name, value) in variables {
            guard (1...64).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw .badRequest("Stage variable names can only contain alphanumeric characters and underscores: \(name)")
            }
            let allowed = Set("-._~:/?#&=,")
            guard value.count <= 2048, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || allowed.contains($0)) }) else {
                throw .badRequest("Stage variable value \(value) of \(name) contains characters other than [A-Za-z0-9-._~:/?#&=,] or is longer than 2048.")
            }
        }
    }
}
