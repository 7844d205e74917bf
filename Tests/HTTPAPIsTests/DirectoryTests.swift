import Foundation
import Testing
@testable import HTTPAPIs

@Suite struct DirectoryTests {
    @Test func quickCreate() async throws {
        let (directory, _) = try makeDirectory()
        let api = try await directory.createAPI(apiInput(target: functionArn))
        #expect(api.apiId.count == 10)
        #expect(api.apiId.allSatisfy { $0.isLowercase || $0.isNumber })
        #expect(directory.apiEndpoint(api.apiId) == "http://\(api.apiId).execute-api.us-east-1.localhost")
        let integration = try #require(api.integrations.first)
        #expect(integration.integrationId.count == 7)
        #expect(integration.payloadFormatVersion == "2.0")
        #expect(integration.apiGatewayManaged)
        #expect(api.routes.map(\.routeKey.rawValue) == ["$default"])
        #expect(api.routes.first?.target == "integrations/\(integration.integrationId)")
        let stage = try #require(api.stages.first)
        #expect(stage.stageName == "$default" && stage.autoDeploy && stage.deploymentId != nil)

        let match = try #require(try await directory.served(apiId: api.apiId)?.stage(for: "/x/y")?.stage.match(method: "PUT", path: "/x/y"))
        #expect(match.routeKey == "$default")
        #expect(match.integration?.functionArn == functionArn)

        let keyed = try await directory.createAPI(apiInput(target: functionArn, routeKey: "GET /items/{id}"))
        #expect(keyed.routes.map(\.routeKey.rawValue) == ["GET /items/{id}"])
    }

    @Test func refusals() async throws {
        let (directory, _) = try makeDirectory()
        var websocket = apiInput()
        websocket.protocolType = "WEBSOCKET"
        await #expect(throws: HTTPAPIError.self) { try await directory.createAPI(websocket) }
        await #expect(throws: HTTPAPIError.self) { try await directory.createAPI(apiInput(target: "https://example.com")) }
        let id = try await directory.createAPI(apiInput()).apiId
        var missingVersion = integrationInput()
        missingVersion.payloadFormatVersion = nil
        await #expect(throws: HTTPAPIError.self) { try await directory.createIntegration(id, missingVersion) }
        var slow = integrationInput()
        slow.timeoutInMillis = 30_001
        await #expect(throws: HTTPAPIError.self) { try await directory.createIntegration(id, slow) }
        await #expect(throws: HTTPAPIError.self) { try await directory.createIntegration(id, integrationInput("arn:aws:s3:::bucket")) }
        // The API Gateway invocation URI form is accepted and names the function.
        let uri = LambdaTarget.invocationURI(region: "us-east-1", functionArn: functionArn + ":7")
        let integration = try await directory.createIntegration(id, integrationInput(uri))
        #expect(integration.functionArn == functionArn + ":7")
        _ = try await directory.createRoute(id, routeInput("GET /a", integration: integration.integrationId))
        await #expect(throws: HTTPAPIError.conflict("Unable to create route. A route with key GET /a already exists in this API.")) {
            try await directory.createRoute(id, routeInput("GET /a"))
        }
        await #expect(throws: HTTPAPIError.self) { try await directory.createRoute(id, routeInput("GET /b", integration: "nope123")) }
        await #expect(throws: HTTPAPIError.self) { try await directory.deleteIntegration(id, integration.integrationId) }
        do {
            _ = try await directory.getRoute(id, "missing")
            Issue.record("found")
        } catch let error as HTTPAPIError {
            #expect(error.awsError.code == "NotFoundException")
            #expect(error.awsError.fields["resourceType"] == "Route")
        }
        await #expect(throws: HTTPAPIError.notFound(resourceType: "Api", message: "Invalid API identifier specified 000000000000:nothing")) {
            try await directory.getAPI("nothing")
        }
    }

    /// A stage serves the deployment it names; AutoDeploy stages move to a new deployment on every change.
    @Test func deploymentsAreSnapshots() async throws {
        let (directory, _) = try makeDirectory()
        let id = try await directory.createAPI(apiInput()).apiId
        await #expect(throws: HTTPAPIError.self) { try await directory.createDeployment(id, stageName: nil, description: nil) }
        let integration = try await directory.createIntegration(id, integrationInput())
        _ = try await directory.createRoute(id, routeInput("GET /one", integration: integration.integrationId))
        _ = try await directory.createStage(id, name: "manual", StageInput(), tags: nil)
        _ = try await directory.createStage(id, name: "auto", autoDeploy(true), tags: nil)
        let first = try await directory.createDeployment(id, stageName: "manual", description: "first")
        #expect(!first.autoDeployed)
        await #expect(throws: HTTPAPIError.self) { try await directory.createDeployment(id, stageName: "auto", description: nil) }

        _ = try await directory.createRoute(id, routeInput("GET /two", integration: integration.integrationId))
        let served = try #require(try await directory.served(apiId: id))
        #expect(served.stage(for: "/manual/two")?.stage.match(method: "GET", path: "/two") == nil)
        #expect(served.stage(for: "/manual/one")?.stage.match(method: "GET", path: "/one")?.routeKey == "GET /one")
        #expect(served.stage(for: "/auto/two")?.stage.match(method: "GET", path: "/two")?.routeKey == "GET /two")

        let stages = try await directory.listStages(id)
        let auto = try #require(stages.first { $0.stageName == "auto" })
        let deployment = try await directory.getDeployment(id, try #require(auto.deploymentId))
        #expect(deployment.autoDeployed)
        #expect(deployment.snapshot.routes.count == 2)
        await #expect(throws: HTTPAPIError.self) { try await directory.deleteDeployment(id, first.deploymentId) }

        // Changing only a stage's own settings deploys nothing new.
        let count = try await directory.listDeployments(id).count
        var variables = StageInput()
        variables.stageVariables = ["a": "b"]
        _ = try await directory.updateStage(id, "auto", variables)
        #expect(try await directory.listDeployments(id).count == count)
    }

    @Test func storeRoundTripAndCompareAndSwap() async throws {
        let (directory, store) = try makeDirectory()
        var input = apiInput(target: functionArn)
        input.cors = CorsConfiguration(allowMethods: ["GET"], allowOrigins: ["https://example.com"], maxAge: 60)
        input.tags = ["team": "shop"]
        let api = try await directory.createAPI(input)
        let stored = try #require(try await store.httpAPI(id: api.apiId))
        // Dates are stored to the millisecond.
        #expect(abs(stored.createdDate.timeIntervalSince(api.createdDate)) < 0.001)
        #expect(stored.routes == api.routes && stored.integrations == api.integrations && stored.cors == api.cors)
        #expect(stored.tags == ["team": "shop"] && stored.revision == api.revision)
        #expect(stored.stages.map(\.deploymentId) == api.stages.map(\.deploymentId))
        #expect(stored.deployments.map(\.snapshot) == api.deployments.map(\.snapshot))
        #expect(try await store.allHTTPAPIs().map(\.apiId) == [api.apiId])
        #expect(try await directory.allAPIIds() == [api.apiId])

        var stale = stored
        stale.name = "lost"
        stale.revision += 1
        #expect(try await store.replaceHTTPAPI(stale, expectedRevision: stored.revision + 5) == false)
        #expect(try await store.replaceHTTPAPI(stale, expectedRevision: stored.revision))
        #expect(try await store.httpAPI(id: api.apiId)?.name == "lost")
        await #expect(throws: HTTPAPIStoreError.alreadyExists) { try await store.insertHTTPAPI(stored) }
        #expect(try await store.deleteHTTPAPI(id: api.apiId))
        #expect(try await store.deleteHTTPAPI(id: api.apiId) == false)
        #expect(try await directory.served(apiId: api.apiId) == nil)
    }

    /// Concurrent writes to one API all land (compare-and-swap retries).
    @Test func concurrentWritesAreNotLost() async throws {
        let (directory, _) = try makeDirectory()
        let id = try await directory.createAPI(apiInput()).apiId
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { _ = try await directory.createRoute(id, routeInput("GET /r\(index)")) }
            }
            try await group.waitForAll()
        }
        #expect(try await directory.listRoutes(id).count == 20)
    }

    @Test func cacheFollowsWrites() async throws {
        let (directory, _) = try makeDirectory()
        let api = try await directory.createAPI(apiInput(target: functionArn))
        #expect(try await directory.served(apiId: api.apiId)?.cors == nil)
        var input = APIInput()
        input.cors = CorsConfiguration(allowOrigins: ["*"])
        _ = try await directory.updateAPI(api.apiId, input)
        #expect(try await directory.served(apiId: api.apiId)?.cors?.allowOrigins == ["*"])
        try await directory.deleteCors(api.apiId)
        #expect(try await directory.served(apiId: api.apiId)?.cors == nil)
        var target = APIInput()
        target.target = functionArn + ":prod"
        _ = try await directory.updateAPI(api.apiId, target)
        let match = try await directory.served(apiId: api.apiId)?.stage(for: "/")?.stage.match(method: "GET", path: "/")
        #expect(match?.integration?.functionArn == functionArn + ":prod")
        try await directory.deleteAPI(api.apiId)
        #expect(try await directory.served(apiId: api.apiId) == nil)
    }

    @Test func tags() async throws {
        let (directory, _) = try makeDirectory()
        let api = try await directory.createAPI(apiInput(target: functionArn))
        let arn = directory.apiArn(api.apiId)
        try await directory.tagResource(arn, tags: ["a": "1", "b": "2"])
        try await directory.untagResource(arn, keys: ["a"])
        #expect(try await directory.tags(of: arn) == ["b": "2"])
        try await directory.tagResource(arn + "/stages/$default", tags: ["s": "x"])
        #expect(try await directory.getStage(api.apiId, "$default").tags == ["s": "x"])
        await #expect(throws: HTTPAPIError.self) { try await directory.tagResource(arn, tags: ["aws:x": "y"]) }
        await #expect(throws: HTTPAPIError.self) { try await directory.tags(of: "arn:aws:lambda:us-east-1:000000000000:function:x") }
    }
}
