import AWSProtocol
import Foundation
import HTTPAPIs
import Logging
import SQLiteStore

/// A directory over a fresh SQLite file.
func makeDirectory() throws -> (HTTPAPIDirectory, SQLiteStore) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("httpapis-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let store = try SQLiteStore(path: dir + "/db.sqlite")
    let directory = HTTPAPIDirectory(store: store, endpoints: UnroutedEndpointRegistry(region: "us-east-1"),
                                     region: "us-east-1", accountId: "000000000000", logger: Logger(label: "test"))
    return (directory, store)
}

let functionArn = "arn:aws:lambda:us-east-1:000000000000:function:shop"

func apiInput(name: String = "shop", target: String? = nil, routeKey: String? = nil) -> APIInput {
    var input = APIInput()
    input.name = name
    input.protocolType = "HTTP"
    input.target = target
    input.routeKey = routeKey
    return input
}

func integrationInput(_ arn: String = functionArn, version: String = "2.0") -> IntegrationInput {
    var input = IntegrationInput()
    input.integrationType = "AWS_PROXY"
    input.integrationUri = arn
    input.payloadFormatVersion = version
    return input
}

func routeInput(_ key: String, integration: String? = nil) -> RouteInput {
    var input = RouteInput()
    input.routeKey = key
    input.target = integration.map { "integrations/" + $0 }
    return input
}

func autoDeploy(_ on: Bool) -> StageInput {
    var input = StageInput()
    input.autoDeploy = on
    return input
}

/// An API whose `$default` stage auto-deploys `keys`, each to its own integration (function `fn-<index>`).
func apiServing(_ keys: [String], directory: HTTPAPIDirectory) async throws -> String {
    let api = try await directory.createAPI(apiInput())
    for (index, key) in keys.enumerated() {
        let integration = try await directory.createIntegration(
            api.apiId, integrationInput("arn:aws:lambda:us-east-1:000000000000:function:fn-\(index)"))
        _ = try await directory.createRoute(api.apiId, routeInput(key, integration: integration.integrationId))
    }
    _ = try await directory.createStage(api.apiId, name: "$default", autoDeploy(true), tags: nil)
    return api.apiId
}
