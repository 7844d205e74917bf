import Foundation
import SQLiteStore
import Testing
@testable import Identity

/// IAM survives reopening its SQLite file; secrets are in it only sealed; key use is remembered cheaply and
/// written in batches.
@Suite struct IAMPersistenceTests {
    @Test func everythingIsThereAfterReopening() async throws {
        let iam = try await IAMFixture()
        let d = iam.directory
        _ = try await d.createUser(name: "ci", path: "/bots/", tags: [IAMTag(key: "team", value: "infra")])
        let key = try await d.createAccessKey(userName: "ci")
        try await d.updateAccessKey(userName: "ci", accessKeyId: key.accessKeyId, status: "Inactive")
        _ = try await d.createGroup(name: "devs")
        try await d.addUser("ci", toGroup: "devs")
        try await d.putInlinePolicy(of: .group("devs"), name: "all", document: IAMFixture.allowAll)
        let role = try await d.createRole(name: "exec", assumeRolePolicyDocument: IAMFixture.lambdaTrust, maxSessionDuration: 7200)
        let policy = try await d.createPolicy(name: "deploy", document: IAMFixture.allowAll)
        _ = try await d.createPolicyVersion(arn: policy.arn, document: IAMFixture.allowAll, setAsDefault: true)
        try await d.attachPolicy(policy.arn, to: .role("exec"))
        try await d.attachPolicy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", to: .role("exec"))
        let before = iam.state.snapshot

        let after = try await iam.reopened().state.snapshot
        #expect(after.users == before.users)
        #expect(after.accessKeys == before.accessKeys, "secrets open again with the data dir's key")
        #expect(after.accessKeys[key.accessKeyId]?.secret == key.secret && after.accessKeys[key.accessKeyId]?.status == .inactive)
        #expect(after.groups == before.groups && after.groupMembers == before.groupMembers)
        #expect(after.roles["exec"] == role)
        #expect(after.managedPolicies == before.managedPolicies)
        #expect(after.managedPolicies[policy.arn]?.defaultVersionId == "v2")
        #expect(after.inlinePolicies == before.inlinePolicies)
        #expect(after.attachments[.role("exec")] == [policy.arn, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"])
    }

    @Test func theDatabaseHoldsNoClearSecret() async throws {
        let iam = try await IAMFixture()
        _ = try await iam.directory.createUser(name: "ci")
        let keys = [try await iam.directory.createAccessKey(userName: "ci"), try await iam.directory.createAccessKey(userName: "ci")]
        let files = try FileManager.default.contentsOfDirectory(atPath: iam.dataDir).filter { $0 != SecretSealer.keyFileName }
        #expect(files.contains { $0.hasSuffix(".sqlite") })
        for name in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: iam.dataDir + "/" + name))
            for key in keys {
                #expect(bytes.range(of: Data(key.secret.utf8)) == nil, "\(name) holds a clear secret")
            }
        }
        var foundIds = false
        for name in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: iam.dataDir + "/" + name))
            foundIds = foundIds || bytes.range(of: Data(keys[0].accessKeyId.utf8)) != nil
        }
        #expect(foundIds, "the key ids are stored (so the search above looked at the right files)")
    }

    @Test func aDataDirWithAnotherKeyCannotOpenTheSecrets() async throws {
        let iam = try await IAMFixture()
        _ = try await iam.directory.createUser(name: "ci")
        _ = try await iam.directory.createAccessKey(userName: "ci")
        try iam.store.close()
        try FileManager.default.removeItem(atPath: iam.dataDir + "/" + SecretSealer.keyFileName)
        await #expect(throws: SecretSealerError.self) { _ = try await IAMFixture(dataDir: iam.dataDir) }
    }

    @Test func keyUseIsAnsweredFromMemoryAndWrittenInBatches() async throws {
        let iam = try await IAMFixture(usageWriteInterval: .seconds(3600))
        _ = try await iam.directory.createUser(name: "ci")
        let key = try await iam.directory.createAccessKey(userName: "ci")
        #expect(try iam.directory.accessKeyLastUsed(key.accessKeyId).lastUsed == nil)

        iam.directory.noteAccessKeyUsed(key.accessKeyId, service: "lambda", region: "us-east-1")
        let first = try #require(try iam.directory.accessKeyLastUsed(key.accessKeyId).lastUsed)
        #expect(first.serviceName == "lambda" && first.region == "us-east-1")
        // The first use after a quiet spell is written at once (in the background).
        let deadline = ContinuousClock.now + .seconds(10)
        while try await Self.storedUse(iam, key.accessKeyId) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await Self.storedUse(iam, key.accessKeyId)?.serviceName == "lambda")

        // Within the interval, further uses stay in memory until the next batch.
        iam.directory.noteAccessKeyUsed(key.accessKeyId, service: "sqs", region: "eu-west-1")
        #expect(try iam.directory.accessKeyLastUsed(key.accessKeyId).lastUsed?.serviceName == "sqs")
        #expect(try await Self.storedUse(iam, key.accessKeyId)?.serviceName == "lambda")
        await iam.directory.writeAccessKeyUsage()
        #expect(try await Self.storedUse(iam, key.accessKeyId)?.serviceName == "sqs")

        let reopened = try await iam.reopened()
        #expect(try reopened.directory.accessKeyLastUsed(key.accessKeyId).lastUsed?.region == "eu-west-1")
        #expect(throws: IAMError.noSuchEntity("The Access Key with id AKIANOSUCHKEY0000000 cannot be found.")) {
            try reopened.directory.accessKeyLastUsed("AKIANOSUCHKEY0000000")
        }
    }

    static func storedUse(_ iam: IAMFixture, _ id: String) async throws -> AccessKeyLastUsed? {
        try await iam.store.loadIdentity().accessKeys.first { $0.accessKeyId == id }?.lastUsed
    }
}
