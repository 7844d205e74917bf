import Catalog
import Foundation
import Testing

@Suite struct VersionTests {
    @Test func publishSnapshotsLatestAndReusesAnUnchangedVersion() async throws {
        let catalog = try TestSupport.catalog()
        var input = try TestSupport.createInput("v")
        input.publish = true
        let first = try await catalog.create(input)
        #expect(first.version == "1")
        #expect(try await catalog.publishVersion("v", codeSha256: nil, description: nil, revisionId: nil).version == "1")

        _ = try await catalog.updateConfiguration("v", settings: FunctionSettings(timeout: 9), revisionId: nil)
        let second = try await catalog.publishVersion("v", codeSha256: nil, description: "second", revisionId: nil)
        #expect(second.version == "2" && second.timeout == 9 && second.description == "second")
        let (one, _) = try await catalog.resolve("v", qualifier: "1")
        #expect(one.timeout == 3, "a published version does not change with $LATEST")
        let (latest, _) = try await catalog.resolve("v:$LATEST")
        #expect(latest.publishedVersion == nil && latest.timeout == 9)
    }

    @Test func publishChecksCodeShaAndRevision() async throws {
        let catalog = try TestSupport.catalog()
        let created = try await catalog.create(try TestSupport.createInput("c"))
        await #expect(throws: LambdaError.self) {
            _ = try await catalog.publishVersion("c", codeSha256: "not-the-sha", description: nil, revisionId: nil)
        }
        do {
            _ = try await catalog.publishVersion("c", codeSha256: nil, description: nil, revisionId: "stale")
            Issue.record("a stale revision must be refused")
        } catch let error as LambdaError {
            guard case .preconditionFailed = error else { Issue.record("wrong error \(error)"); return }
        }
        let v = try await catalog.publishVersion("c", codeSha256: created.code.sha256Base64, description: nil, revisionId: created.revisionId)
        #expect(v.version == "1")
    }

    @Test func versionsReferencedByAnAliasStayAndNumbersAreNotReused() async throws {
        let catalog = try TestSupport.catalog()
        _ = try await catalog.create(try TestSupport.createInput("d"))
        _ = try await catalog.publishVersion("d", codeSha256: nil, description: nil, revisionId: nil)
        _ = try await catalog.createAlias("d", name: "live", input: AliasInput(functionVersion: "1", description: nil, additionalVersionWeights: nil))
        do {
            try await catalog.delete("d", qualifier: "1")
            Issue.record("deleting a version an alias points at must be refused")
        } catch let error as LambdaError {
            guard case .resourceConflict(let message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("live"))
        }
        try await catalog.deleteAlias("d", name: "live")
        try await catalog.delete("d", qualifier: "1")
        _ = try await catalog.updateConfiguration("d", settings: FunctionSettings(timeout: 5), revisionId: nil)
        #expect(try await catalog.publishVersion("d", codeSha256: nil, description: nil, revisionId: nil).version == "2")
        await #expect(throws: LambdaError.self) { _ = try await catalog.resolve("d", qualifier: "1") }
    }
}

@Suite struct AliasTests {
    @Test func routingSendsTheWeightedShareToTheAdditionalVersion() {
        let alias = AliasDefinition(functionName: "f", name: "live", functionVersion: "1", description: "",
                                    additionalVersionWeights: ["2": 0.1], revisionId: "r")
        #expect(alias.route(draw: 0.0) == "2")
        #expect(alias.route(draw: 0.0999) == "2")
        #expect(alias.route(draw: 0.1) == "1")
        #expect(alias.route(draw: 0.99) == "1")
        let plain = AliasDefinition(functionName: "f", name: "a", functionVersion: "3", description: "", additionalVersionWeights: [:], revisionId: "r")
        #expect(plain.route(draw: 0.0) == "3")
    }

    @Test func invocationResolvesTheRoutedVersion() async throws {
        let catalog = try TestSupport.catalog()
        _ = try await catalog.create(try TestSupport.createInput("a"))
        _ = try await catalog.publishVersion("a", codeSha256: nil, description: nil, revisionId: nil)
        _ = try await catalog.updateConfiguration("a", settings: FunctionSettings(timeout: 7), revisionId: nil)
        _ = try await catalog.publishVersion("a", codeSha256: nil, description: nil, revisionId: nil)
        _ = try await catalog.createAlias("a", name: "live", input: AliasInput(functionVersion: "1", description: nil, additionalVersionWeights: ["2": 0.25]))
        let (low, q) = try await catalog.resolveForInvocation("a", qualifier: "live", draw: 0.1)
        #expect(low.version == "2" && q == "live")
        let (high, _) = try await catalog.resolveForInvocation("a:live", qualifier: nil, draw: 0.9)
        #expect(high.version == "1")
    }

    @Test func routingRulesAreEnforced() async throws {
        let catalog = try TestSupport.catalog()
        _ = try await catalog.create(try TestSupport.createInput("r"))
        _ = try await catalog.publishVersion("r", codeSha256: nil, description: nil, revisionId: nil)
        for (version, weights) in [("1", ["1": 0.5]), ("$LATEST", ["1": 0.5]), ("1", ["2": 1.5]), ("1", ["2": 0.1, "3": 0.1])] {
            await #expect(throws: LambdaError.self) {
                _ = try await catalog.createAlias("r", name: "x", input: AliasInput(functionVersion: version, description: nil, additionalVersionWeights: weights))
            }
        }
        await #expect(throws: LambdaError.self) {
            _ = try await catalog.createAlias("r", name: "123", input: AliasInput(functionVersion: "1", description: nil, additionalVersionWeights: nil))
        }
        await #expect(throws: LambdaError.self) {
            _ = try await catalog.createAlias("r", name: "x", input: AliasInput(functionVersion: "7", description: nil, additionalVersionWeights: nil))
        }
    }
}

@Suite struct LayerAndPolicyTests {
    @Test func layersResolveInOrderAndCountTowardsTheUnzippedLimit() async throws {
        let catalog = try TestSupport.catalog()
        let one = try await catalog.publishLayerVersion(PublishLayerVersionInput(
            layerName: "libs", description: nil, zipFile: try TestSupport.zip(["python/a.py": "x = 1"]), s3Location: nil,
            compatibleRuntimes: ["python3.12"], compatibleArchitectures: nil, licenseInfo: "MIT"))
        let other = try await catalog.publishLayerVersion(PublishLayerVersionInput(
            layerName: "more", description: nil, zipFile: try TestSupport.zip(["python/b.py": "y = 2"]), s3Location: nil,
            compatibleRuntimes: nil, compatibleArchitectures: nil, licenseInfo: nil))
        #expect(one.version == 1)
        let arns = [catalog.layerVersionArn(other), catalog.layerVersionArn(one)]
        let created = try await catalog.create(try TestSupport.createInput("withlayers", settings: FunctionSettings(
            runtime: "provided.al2023", role: "arn:aws:iam::000000000000:role/r", handler: "h", layers: arns)))
        #expect(created.layers.map(\.arn) == arns)
        #expect(created.unzippedSizeWithLayers == created.code.unzippedSize + 10)
        await #expect(throws: LambdaError.self) {
            _ = try await catalog.updateConfiguration("withlayers", settings: FunctionSettings(layers: [arns[0] + "9"]), revisionId: nil)
        }
        #expect(try await catalog.layers(runtime: "python3.12", architecture: nil).map(\.layerName) == ["libs"])
    }

    @Test func permissionsBuildThePolicyDocument() async throws {
        let catalog = try TestSupport.catalog()
        _ = try await catalog.create(try TestSupport.createInput("p"))
        let statement = try await catalog.addPermission("p", qualifier: nil, input: PermissionInput(
            statementId: "s3", action: "lambda:InvokeFunction", principal: "s3.amazonaws.com",
            sourceArn: "arn:aws:s3:::bucket", sourceAccount: "123456789012"))
        let parsed = try JSONSerialization.jsonObject(with: Data(statement.json.utf8)) as? NSDictionary
        let expected = try JSONSerialization.jsonObject(with: Data(#"{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:000000000000:function:p","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::bucket"},"StringEquals":{"AWS:SourceAccount":"123456789012"}}}"#.utf8)) as? NSDictionary
        #expect(parsed == expected, "\(statement.json)")
        await #expect(throws: LambdaError.self) {
            _ = try await catalog.addPermission("p", qualifier: nil, input: PermissionInput(statementId: "s3", action: "lambda:InvokeFunction", principal: "*"))
        }
        _ = try await catalog.addPermission("p", qualifier: nil, input: PermissionInput(statementId: "acct", action: "lambda:InvokeFunction", principal: "111122223333"))
        let policy = try await catalog.policy("p", qualifier: nil)
        #expect(policy.document.Statement.map(\.Sid) == ["s3", "acct"])
        #expect(policy.document.Statement[1].Principal == .aws("arn:aws:iam::111122223333:root"))
        try await catalog.removePermission("p", qualifier: nil, statementId: "s3", revisionId: policy.revisionId)
        try await catalog.removePermission("p", qualifier: nil, statementId: "acct", revisionId: nil)
        await #expect(throws: LambdaError.self) { _ = try await catalog.policy("p", qualifier: nil) }
    }
}
