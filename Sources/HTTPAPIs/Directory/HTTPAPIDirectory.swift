import AWSProtocol
import Foundation
import Logging
import Synchronization

/// API Gateway's HTTP APIs: every control-plane operation (validation, ids, quick create, auto-deploy) over an
/// `HTTPAPIStore`, and the read side the data plane serves from (`served(apiId:)`, cached in memory and replaced
/// on every write to that API).
public final class HTTPAPIDirectory: Sendable {
    let store: any HTTPAPIStore
    let endpoints: any HTTPEndpointRegistry
    public let region: String
    public let accountId: String
    let logger: Logger
    private let cache = Mutex(ServedCache())

    /// Served APIs by id; `epoch` moves on every write, so a read that raced a write never caches what it read.
    private struct ServedCache {
        var epoch: UInt64 = 0
        var entries: [String: ServedAPI] = [:]
    }

    /// How many deployments made by AutoDeploy that no stage serves any more are kept (newest first).
    static let keptIdleAutoDeployments = 10
    /// Attempts of a write that keeps losing its compare-and-swap to other writers.
    static let writeAttempts = 16

    public init(store: any HTTPAPIStore, endpoints: any HTTPEndpointRegistry, region: String, accountId: String, logger: Logger) {
        self.store = store
        self.endpoints = endpoints
        self.region = region
        self.accountId = accountId
        self.logger = logger
    }

    // MARK: Read side of the data plane

    /// What the data plane serves for one API, cached in memory (invalidated on every write to that API); nil if
    /// no such API.
    public func served(apiId: String) async throws -> ServedAPI? {
        let (hit, epoch) = cache.withLock { ($0.entries[apiId], $0.epoch) }
        if let hit { return hit }
        guard let api = try await store.httpAPI(id: apiId) else { return nil }
        let served = ServedAPI(api: api)
        cache.withLock { if $0.epoch == epoch { $0.entries[apiId] = served } }
        return served
    }

    /// Ids of every API (the ingress registers them at startup).
    public func allAPIIds() async throws -> [String] {
        try await store.allHTTPAPIs().map(\.apiId)
    }

    /// `ApiEndpoint`: the registry's URL for the API without the trailing slash, as AWS writes it.
    public func apiEndpoint(_ apiId: String) -> String {
        var url = endpoints.endpointURL(kind: .httpAPI, id: apiId)
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// The ARN tags and IAM name an API by: `arn:aws:apigateway:<region>::/apis/<id>`.
    public func apiArn(_ apiId: String) -> String {
        "arn:aws:apigateway:\(region)::/apis/\(apiId)"
    }

    /// Forgets what is served for `apiId` (nil: every API): a write here, or another node of a cluster's.
    public func invalidate(_ apiId: String?) {
        cache.withLock {
            $0.epoch &+= 1
            if let apiId { $0.entries[apiId] = nil } else { $0.entries = [:] }
        }
    }

    // MARK: Reads and writes of one API

    func load(_ apiId: String) async throws -> HTTPAPI {
        guard let api = try await store.httpAPI(id: apiId) else { throw Self.apiNotFound(apiId, accountId: accountId) }
        return api
    }

    static func apiNotFound(_ apiId: String, accountId: String) -> HTTPAPIError {
        .notFound(resourceType: "Api", message: "Invalid API identifier specified \(accountId):\(apiId)")
    }

    /// Applies `change` to the stored API and writes it back with compare-and-swap, reading again when another
    /// write came first. A change of routes, integrations or authorizers is deployed to every AutoDeploy stage.
    @discardableResult
    func mutate<T>(_ apiId: String, _ change: (inout HTTPAPI, Date) throws -> T) async throws -> T {
        for _ in 0..<Self.writeAttempts {
            var api = try await load(apiId)
            let before = api.deployable
            let now = Date()
            let result = try change(&api, now)
            if api.deployable != before { Self.autoDeploy(&api, at: now) }
            let expected = api.revision
            api.revision += 1
            if try await store.replaceHTTPAPI(api, expectedRevision: expected) {
                invalidate(apiId)
                return result
            }
        }
        logger.warning("HTTP API write kept losing to concurrent writes", metadata: ["apiId": "\(apiId)"])
        throw HTTPAPIError.conflict("The API \(apiId) is being modified concurrently; try again.")
    }

    /// Deploys the API's current routes, integrations and authorizers to its AutoDeploy stages (or only to
    /// `stageNames`), as one new deployment.
    static func autoDeploy(_ api: inout HTTPAPI, at now: Date, only stageNames: Set<String>? = nil) {
        let targets = api.stages.indices.filter {
            api.stages[$0].autoDeploy && (stageNames?.contains(api.stages[$0].stageName) ?? true)
        }
        guard !targets.isEmpty else { return }
        let id = ResourceIDs.childId(avoiding: api.deployments.map(\.deploymentId))
        api.deployments.append(Deployment(
            deploymentId: id, description: "Automatic deployment triggered by changes to the Api configuration",
            createdDate: now, autoDeployed: true, snapshot: api.deployable))
        for index in targets {
            api.stages[index].deploymentId = id
            api.stages[index].lastUpdatedDate = now
            api.stages[index].lastDeploymentStatusMessage = "Successfully deployed stage with deployment ID '\(id)'"
        }
        pruneAutoDeployments(&api)
    }

    /// Drops the oldest deployments AutoDeploy made that no stage serves, beyond `keptIdleAutoDeployments`.
    static func pruneAutoDeployments(_ api: inout HTTPAPI) {
        let served = Set(api.stages.compactMap(\.deploymentId))
        let idle = api.deployments.filter { $0.autoDeployed && !served.contains($0.deploymentId) }
        guard idle.count > keptIdleAutoDeployments else { return }
        let dropped = Set(idle.prefix(idle.count - keptIdleAutoDeployments).map(\.deploymentId))
        api.deployments.removeAll { dropped.contains($0.deploymentId) }
    }
}
