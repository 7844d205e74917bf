/// What the data plane serves for one API: its deployed stages and CORS configuration.
public struct ServedAPI: Sendable {
    public var apiId: String
    /// The API's CORS configuration; the data plane answers preflights and adds the headers.
    public var cors: CorsConfiguration?
    /// When true, the default endpoint must refuse every request (403 on AWS).
    public var disableExecuteApiEndpoint: Bool
    /// Deployed stages other than `$default`, by name.
    let namedStages: [String: ServedStage]
    let defaultStage: ServedStage?

    init(api: HTTPAPI) {
        self.apiId = api.apiId
        self.cors = api.cors
        self.disableExecuteApiEndpoint = api.disableExecuteApiEndpoint
        var named: [String: ServedStage] = [:]
        var defaultStage: ServedStage?
        for stage in api.stages {
            guard let id = stage.deploymentId, let deployment = api.deployment(id) else { continue }
            let served = ServedStage(stage: stage, deployment: deployment)
            if stage.stageName == Stage.defaultName { defaultStage = served } else { named[stage.stageName] = served }
        }
        self.namedStages = named
        self.defaultStage = defaultStage
    }

    /// Names of the deployed stages (`$default` included).
    public var stageNames: [String] {
        namedStages.keys.sorted() + (defaultStage == nil ? [] : [Stage.defaultName])
    }

    /// The stage that serves `path` (as sent, starting with `/`) and the path within it: a first segment naming a
    /// deployed stage selects that stage (and is stripped: `/prod/items` → `/items`, `/prod` → `/`); otherwise the
    /// `$default` stage, if it exists and is deployed, with the path unchanged. nil: no stage (→ 404).
    public func stage(for path: String) -> (stage: ServedStage, path: String)? {
        if !namedStages.isEmpty {
            let rest = path.drop(while: { $0 == "/" })
            let first = rest.prefix(while: { $0 != "/" })
            if !first.isEmpty, let stage = namedStages[String(first)] {
                let remainder = rest.dropFirst(first.count)
                return (stage, remainder.isEmpty ? "/" : String(remainder))
            }
        }
        return defaultStage.map { ($0, path) }
    }
}
