import BlobStore
import Catalog
import Foundation
import SQLiteStore
import Testing

@Suite struct FunctionURLTests {
    /// A catalog over the server's store stack (`CachingStore` over SQLite), and the SQLite store beneath it.
    static func cachedCatalog() throws -> (FunctionCatalog, SQLiteStore) {
        let root = try TestSupport.tempDir()
        let sqlite = try SQLiteStore(path: root + "/db.sqlite")
        let catalog = FunctionCatalog(store: CachingStore(sqlite), blobs: try BlobStore(root: root + "/blobs"),
                                      runtimes: RuntimeRegistry(runtimes: [RuntimeInfo(identifier: "python3.11", interpreter: "/usr/bin/python3.11")]),
                                      arns: ARNBuilder(region: "us-east-1", accountId: "000000000000"),
                                      limits: AccountLimits(concurrentExecutions: 10), hostArchitecture: "x86_64")
        return (catalog, sqlite)
    }

    /// A function `name` with version 1 and an alias `live` to it.
    static func functionWithAlias(_ catalog: FunctionCatalog, _ name: String) async throws {
        _ = try await catalog.create(try TestSupport.createInput(name))
        _ = try await catalog.publishVersion(name, codeSha256: nil, description: nil, revisionId: nil)
        _ = try await catalog.createAlias(name, name: "live", input: AliasInput(functionVersion: "1", description: nil, additionalVersionWeights: nil))
    }

    static func expectError(_ body: () async throws -> Void, _ check: (LambdaError) -> Bool, _ comment: Comment) async {
        do {
            try await body()
            Issue.record("expected an error: \(comment)")
        } catch let error as LambdaError {
            #expect(check(error), "\(comment): \(error)")
        } catch {
            Issue.record("\(comment): not a LambdaError: \(error)")
        }
    }

    static func isValidation(_ field: String) -> (LambdaError) -> Bool {
        { if case .invalidParameter(let m) = $0 { m.contains("at '\(field)'") } else { false } }
    }

    static func isNotFound(_ error: LambdaError) -> Bool {
        if case .resourceNotFound = error { true } else { false }
    }

    @Test func createGetUpdateListDeleteRoundTrip() async throws {
        let catalog = try TestSupport.catalog()
        try await Self.functionWithAlias(catalog, "web")
        let cors = FunctionURLCors(allowCredentials: true, allowHeaders: ["x-custom"], allowMethods: ["GET", "POST"],
                                   allowOrigins: ["https://example.com"], exposeHeaders: ["x-out"], maxAge: 300)
        let created = try await catalog.createFunctionURL(function: "web", qualifier: nil,
                                                          input: FunctionURLInput(authType: "NONE", cors: cors))
        #expect(FunctionURLConfig.isURLId(created.urlId))
        #expect(created.qualifier == nil && created.invokeMode == "BUFFERED" && created.cors == cors)
        #expect(created.creationTime == created.lastModifiedTime && created.creationTime.hasSuffix("+0000"))
        #expect(catalog.functionURLArn(created) == "arn:aws:lambda:us-east-1:000000000000:function:web")
        #expect(try await catalog.getFunctionURL(function: "web", qualifier: nil) == created)

        let aliased = try await catalog.createFunctionURL(function: "web:live", qualifier: nil,
                                                          input: FunctionURLInput(authType: "AWS_IAM", invokeMode: "RESPONSE_STREAM"))
        #expect(aliased.qualifier == "live" && aliased.urlId != created.urlId)
        #expect(catalog.functionURLArn(aliased) == "arn:aws:lambda:us-east-1:000000000000:function:web:live")

        let updated = try await catalog.updateFunctionURL(function: "web", qualifier: nil, input: FunctionURLInput(authType: "AWS_IAM"))
        #expect(updated.urlId == created.urlId && updated.authType == "AWS_IAM" && updated.cors == cors, "only the given members change")
        #expect(updated.creationTime == created.creationTime)
        let cleared = try await catalog.updateFunctionURL(function: "web", qualifier: nil,
                                                          input: FunctionURLInput(authType: nil, cors: FunctionURLCors(maxAge: 5)))
        #expect(cleared.cors == FunctionURLCors(maxAge: 5), "a given Cors replaces the whole configuration")

        let (page, next) = try await catalog.listFunctionURLs(function: "web", marker: nil, maxItems: 1)
        #expect(page.map(\.qualifier) == [nil] && next == created.urlId)
        let (rest, end) = try await catalog.listFunctionURLs(function: "web", marker: next, maxItems: nil)
        #expect(rest.map(\.qualifier) == ["live"] && end == nil)

        #expect(try await catalog.functionURL(id: aliased.urlId) == aliased)
        #expect(try await catalog.allFunctionURLs().map(\.urlId) == [created.urlId, aliased.urlId])
        #expect(try await catalog.deleteFunctionURL(function: "web", qualifier: "live").urlId == aliased.urlId)
        #expect(try await catalog.functionURL(id: aliased.urlId) == nil)
        await Self.expectError({ _ = try await catalog.getFunctionURL(function: "web", qualifier: "live") }, Self.isNotFound, "deleted")
        await Self.expectError({ _ = try await catalog.deleteFunctionURL(function: "web", qualifier: "live") }, Self.isNotFound, "deleted twice")
    }

    @Test func lambdasRulesAndErrors() async throws {
        let catalog = try TestSupport.catalog()
        try await Self.functionWithAlias(catalog, "rules")
        let none = FunctionURLInput(authType: "NONE")
        _ = try await catalog.createFunctionURL(function: "rules", qualifier: nil, input: none)
        await Self.expectError({ _ = try await catalog.createFunctionURL(function: "rules", qualifier: nil, input: none) }, {
            if case .resourceConflict(let m) = $0 { m.contains("FunctionUrlConfig exists for this Lambda function") } else { false }
        }, "a second URL for the same qualifier")
        await Self.expectError({ _ = try await catalog.createFunctionURL(function: "rules", qualifier: "1", input: none) },
                               Self.isValidation("qualifier"), "a version number")
        await Self.expectError({ _ = try await catalog.createFunctionURL(function: "rules", qualifier: "$LATEST", input: none) },
                               Self.isValidation("qualifier"), "$LATEST")
        await Self.expectError({ _ = try await catalog.createFunctionURL(function: "rules", qualifier: "nope", input: none) },
                               Self.isNotFound, "a missing alias")
        await Self.expectError({ _ = try await catalog.createFunctionURL(function: "missing", qualifier: nil, input: none) },
                               Self.isNotFound, "a missing function")
        await Self.expectError({ _ = try await catalog.getFunctionURL(function: "rules", qualifier: "live") }, Self.isNotFound, "no URL yet")
        await Self.expectError({ _ = try await catalog.updateFunctionURL(function: "rules", qualifier: "live", input: none) },
                               Self.isNotFound, "updating a URL that does not exist")
        await Self.expectError({ _ = try await catalog.listFunctionURLs(function: "missing", marker: nil, maxItems: nil) },
                               Self.isNotFound, "listing a missing function's URLs")

        let invalid: [(FunctionURLInput, String)] = [
            (FunctionURLInput(authType: nil), "authType"),
            (FunctionURLInput(authType: "PUBLIC"), "authType"),
            (FunctionURLInput(authType: "NONE", invokeMode: "STREAM"), "invokeMode"),
            (FunctionURLInput(authType: "NONE", cors: FunctionURLCors(allowMethods: ["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"])),
             "cors.allowMethods"),
            (FunctionURLInput(authType: "NONE", cors: FunctionURLCors(allowMethods: ["OPTIONS"])), "cors.allowMethods"),
            (FunctionURLInput(authType: "NONE", cors: FunctionURLCors(allowOrigins: [""])), "cors.allowOrigins"),
            (FunctionURLInput(authType: "NONE", cors: FunctionURLCors(allowOrigins: [String(repeating: "o", count: 254)])), "cors.allowOrigins"),
            (FunctionURLInput(authType: "NONE", cors: FunctionURLCors(allowHeaders: Array(repeating: "h", count: 101))), "cors.allowHeaders"),
            (FunctionURLInput(authType: "NONE", cors: FunctionURLCors(exposeHeaders: [String(repeating: "h", count: 1025)])), "cors.exposeHeaders"),
            (FunctionURLInput(authType: "NONE", cors: FunctionURLCors(maxAge: 86_401)), "cors.maxAge"),
            (FunctionURLInput(authType: "NONE", cors: FunctionURLCors(maxAge: -1)), "cors.maxAge"),
        ]
        for (input, field) in invalid {
            await Self.expectError({ _ = try await catalog.createFunctionURL(function: "rules", qualifier: "live", input: input) }, {
                if field == "cors.allowMethods", case .invalidParameter(let m) = $0, m.contains("AllowMethods") { return true }
                return Self.isValidation(field)($0)
            }, "invalid \(field)")
        }
        let edge = FunctionURLCors(allowMethods: ["get", "*"], allowOrigins: ["*"], maxAge: 86_400)
        #expect(try await catalog.createFunctionURL(function: "rules", qualifier: "live",
                                                    input: FunctionURLInput(authType: "NONE", cors: edge)).cors == edge)
    }

    @Test func drawsAnotherIdWhileTheRegistryRefuses() async throws {
        let catalog = try TestSupport.catalog()
        _ = try await catalog.create(try TestSupport.createInput("ids"))
        var refused: [String] = []
        let config = try await catalog.createFunctionURL(function: "ids", qualifier: nil, input: FunctionURLInput(authType: "NONE")) { id in
            guard refused.count < 3 else { return true }
            refused.append(id)
            return false
        }
        #expect(refused.count == 3 && !refused.contains(config.urlId))
    }

    @Test func deletingTheFunctionOrTheAliasDeletesItsURLs() async throws {
        let (catalog, sqlite) = try Self.cachedCatalog()
        try await Self.functionWithAlias(catalog, "gone")
        let plain = try await catalog.createFunctionURL(function: "gone", qualifier: nil, input: FunctionURLInput(authType: "NONE"))
        let aliased = try await catalog.createFunctionURL(function: "gone", qualifier: "live", input: FunctionURLInput(authType: "NONE"))

        try await catalog.deleteAlias("gone", name: "live")
        #expect(try await catalog.functionURL(id: aliased.urlId) == nil, "the cache forgets the alias's URL")
        #expect(try await sqlite.functionURL(id: aliased.urlId) == nil, "the store deleted the alias's row")
        #expect(try await catalog.functionURL(id: plain.urlId) == plain)
        _ = try await catalog.createAlias("gone", name: "live", input: AliasInput(functionVersion: "1", description: nil, additionalVersionWeights: nil))
        await Self.expectError({ _ = try await catalog.getFunctionURL(function: "gone", qualifier: "live") }, Self.isNotFound,
                               "a recreated alias has no URL")

        try await catalog.delete("gone", qualifier: nil)
        #expect(try await catalog.functionURL(id: plain.urlId) == nil)
        #expect(try await sqlite.allFunctionURLs().isEmpty)
        _ = try await catalog.create(try TestSupport.createInput("gone"))
        #expect(try await catalog.listFunctionURLs(function: "gone", marker: nil, maxItems: nil).configs.isEmpty)
    }

    @Test func idLookupIsServedFromMemoryAndSurvivesARestart() async throws {
        let root = try TestSupport.tempDir()
        let first = try TestSupport.catalog(dir: root)
        _ = try await first.create(try TestSupport.createInput("kept"))
        let created = try await first.createFunctionURL(function: "kept", qualifier: nil, input: FunctionURLInput(authType: "AWS_IAM"))

        let sqlite = try SQLiteStore(path: root + "/db.sqlite")
        #expect(try await sqlite.functionURL(id: created.urlId) == created, "the store round-trips the config")
        let cache = CachingStore(sqlite)
        #expect(try await cache.allFunctionURLs() == [created])
        // Behind the cache's back: the row goes, the cached lookup still answers (no store read per request).
        #expect(try await sqlite.deleteFunctionURL(of: "kept", qualifier: nil) == created)
        #expect(try await cache.functionURL(id: created.urlId) == created)
        #expect(try await cache.functionURL(id: "0123456789abcdef0123456789abcdef") == nil)

        let (catalog, _) = try Self.cachedCatalog()
        #expect(try await catalog.functionURL(id: "not-an-id") == nil)
    }
}
