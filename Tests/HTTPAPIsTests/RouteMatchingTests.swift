import Testing
@testable import HTTPAPIs

@Suite struct RouteMatchingTests {
    /// AWS's example table and the orderings between route shapes.
    @Test func priority() async throws {
        let (directory, _) = try makeDirectory()
        let id = try await apiServing([
            "GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default",
            "GET /items/{id}", "ANY /items/{id}", "GET /items/special", "POST /a/{x}/c", "POST /a/b/{y}",
            "GET /deep/{proxy+}", "GET /deep/er/{proxy+}", "GET /",
        ], directory: directory)
        let stage = try #require(try await directory.served(apiId: id)?.stage(for: "/")?.stage)
        let cases: [(String, String, String)] = [
            ("GET", "/pets/dog/1", "GET /pets/dog/1"),
            ("GET", "/pets/dog/2", "GET /pets/dog/{id}"),
            ("GET", "/pets/cat/1", "GET /pets/{proxy+}"),
            ("POST", "/pets/dog/1", "ANY /{proxy+}"),
            ("GET", "/items/7", "GET /items/{id}"),
            ("PUT", "/items/7", "ANY /items/{id}"),
            ("GET", "/items/special", "GET /items/special"),
            ("POST", "/a/b/c", "POST /a/b/{y}"),
            ("GET", "/deep/er/x/y", "GET /deep/er/{proxy+}"),
            ("GET", "/deep/x", "GET /deep/{proxy+}"),
            ("GET", "/", "GET /"),
            ("POST", "/", "$default"),
            ("GET", "/anything/else", "ANY /{proxy+}"),
        ]
        for (method, path, expected) in cases {
            #expect(stage.match(method: method, path: path)?.routeKey == expected, "\(method) \(path)")
        }
    }

    @Test func pathParametersAreDecoded() async throws {
        let (directory, _) = try makeDirectory()
        let id = try await apiServing(["GET /items/{id}", "GET /files/{proxy+}"], directory: directory)
        let stage = try #require(try await directory.served(apiId: id)?.stage(for: "/")?.stage)
        #expect(stage.match(method: "GET", path: "/items/a%20b")?.pathParameters == ["id": "a b"])
        #expect(stage.match(method: "GET", path: "/files/a/b%2Fc/d")?.pathParameters == ["proxy": "a/b/c/d"])
        let match = try #require(stage.match(method: "GET", path: "/items/7"))
        #expect(match.integration?.functionArn == "arn:aws:lambda:us-east-1:000000000000:function:fn-0")
        #expect(match.integration?.payloadFormatVersion == "2.0")
        #expect(match.integration?.timeoutMillis == 30_000)
        #expect(match.authorizationType == "NONE")
        // A greedy variable needs at least one segment; no $default route: nothing matches.
        #expect(stage.match(method: "GET", path: "/files") == nil)
        #expect(stage.match(method: "POST", path: "/items/7") == nil)
    }

    @Test func stageSelection() async throws {
        let (directory, _) = try makeDirectory()
        let id = try await apiServing(["ANY /{proxy+}", "GET /"], directory: directory)
        _ = try await directory.createStage(id, name: "prod", autoDeploy(true), tags: nil)
        var variables = StageInput()
        variables.stageVariables = ["color": "blue"]
        _ = try await directory.updateStage(id, "prod", variables)
        // A stage without a deployment is not served.
        _ = try await directory.createStage(id, name: "draft", StageInput(), tags: nil)
        let served = try #require(try await directory.served(apiId: id))
        #expect(served.stageNames == ["prod", "$default"])

        let prod = try #require(served.stage(for: "/prod/items/7"))
        #expect(prod.stage.name == "prod")
        #expect(prod.path == "/items/7")
        #expect(prod.stage.stageVariables == ["color": "blue"])
        #expect(served.stage(for: "/prod")?.path == "/")
        #expect(served.stage(for: "/prod")?.stage.name == "prod")
        #expect(served.stage(for: "/production/x")?.stage.name == "$default")
        #expect(served.stage(for: "/draft/x")?.stage.name == "$default")
        #expect(served.stage(for: "/draft/x")?.path == "/draft/x")

        try await directory.deleteStage(id, "$default")
        let without = try #require(try await directory.served(apiId: id))
        #expect(without.stage(for: "/items") == nil)
        #expect(without.stage(for: "/prod/items")?.stage.name == "prod")
    }

    @Test func authorizerReachesTheMatch() async throws {
        let (directory, _) = try makeDirectory()
        let id = try await apiServing(["GET /secret"], directory: directory)
        var input = AuthorizerInput()
        input.name = "auth"
        input.authorizerType = "REQUEST"
        input.authorizerUri = LambdaTarget.invocationURI(region: "us-east-1", functionArn: functionArn + ":live")
        input.identitySource = ["$request.header.Authorization"]
        input.authorizerPayloadFormatVersion = "2.0"
        input.enableSimpleResponses = true
        let authorizer = try await directory.createAuthorizer(id, input)
        #expect(authorizer.authorizerResultTtlInSeconds == 300)
        let route = try #require(try await directory.listRoutes(id).first)
        var update = RouteInput()
        update.authorizationType = "CUSTOM"
        update.authorizerId = authorizer.authorizerId
        _ = try await directory.updateRoute(id, route.routeId, update)

        let match = try #require(try await directory.served(apiId: id)?.stage(for: "/secret")?.stage.match(method: "GET", path: "/secret"))
        #expect(match.authorizationType == "CUSTOM")
        #expect(match.authorizer == ServedAuthorizer(
            id: authorizer.authorizerId, functionArn: functionArn + ":live", identitySources: ["$request.header.Authorization"],
            payloadFormatVersion: "2.0", enableSimpleResponses: true, resultTtlSeconds: 300))
        // In use: cannot be deleted.
        await #expect(throws: HTTPAPIError.self) { try await directory.deleteAuthorizer(id, authorizer.authorizerId) }
    }
}
