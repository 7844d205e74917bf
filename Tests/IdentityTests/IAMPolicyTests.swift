import Foundation
import Testing
@testable import Identity

/// Inline and managed policies, versions and attachments: IAM's quotas and conflicts, AWS's managed policies, and
/// the documents the authorizer evaluates.
@Suite struct IAMPolicyTests {
    static func allow(_ action: String, padding: Int = 0) -> String {
        let sid = padding > 0 ? #""Sid":"\#(String(repeating: "P", count: padding))","# : ""
        return IAMFixture.policy(#"{\#(sid)"Effect":"Allow","Action":"\#(action)","Resource":"*"}"#)
    }

    @Test func inlinePoliciesAreReplacedByNameAndApplyToTheirOwner() async throws {
        let iam = try await IAMFixture()
        _ = try await iam.directory.createUser(name: "ci")
        try await iam.directory.putInlinePolicy(of: .user("ci"), name: "read", document: Self.allow("s3:GetObject"))
        try await iam.directory.putInlinePolicy(of: .user("ci"), name: "read", document: Self.allow("sqs:ReceiveMessage"))
        try await iam.directory.putInlinePolicy(of: .user("ci"), name: "admin", document: IAMFixture.allowAll)
        #expect(try iam.directory.inlinePolicyNames(of: .user("ci")) == ["admin", "read"])
        let (owner, document) = try iam.directory.inlinePolicy(of: .user("CI"), name: "read")
        #expect(owner == .user("ci") && document == Self.allow("sqs:ReceiveMessage"))
        #expect(iam.state.snapshot.policyDocuments(for: .user("ci")) == [IAMFixture.allowAll, Self.allow("sqs:ReceiveMessage")])
        #expect(throws: IAMError.noSuchEntity("The user policy with name nope cannot be found.")) {
            try iam.directory.inlinePolicy(of: .user("ci"), name: "nope")
        }
        await #expect(throws: IAMError.noSuchEntity("The role with name ghost cannot be found.")) {
            try await iam.directory.putInlinePolicy(of: .role("ghost"), name: "p", document: IAMFixture.allowAll)
        }
        let malformed = await #expect(throws: IAMError.self) {
            try await iam.directory.putInlinePolicy(of: .user("ci"), name: "bad", document: "{\"Statement\": 1}")
        }
        #expect(malformed?.code == "MalformedPolicyDocument")
        let withPrincipal = IAMFixture.policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#)
        await #expect(throws: IAMError.malformedPolicyDocument("Policy document should not specify a principal.")) {
            try await iam.directory.putInlinePolicy(of: .user("ci"), name: "bad", document: withPrincipal)
        }
        try await iam.directory.deleteInlinePolicy(of: .user("ci"), name: "read")
        await #expect(throws: IAMError.noSuchEntity("The user policy with name read cannot be found.")) {
            try await iam.directory.deleteInlinePolicy(of: .user("ci"), name: "read")
        }
    }

    @Test(arguments: [(PolicyOwner.user("u"), 2048), (.group("g"), 5120), (.role("r"), 10240)])
    func inlinePoliciesOfOneEntityShareItsSizeQuota(_ owner: PolicyOwner, _ quota: Int) async throws {
        let iam = try await IAMFixture()
        switch owner {
        case .user(let n): _ = try await iam.directory.createUser(name: n)
        case .group(let n): _ = try await iam.directory.createGroup(name: n)
        case .role(let n): _ = try await iam.directory.createRole(name: n, assumeRolePolicyDocument: IAMFixture.lambdaTrust)
        }
        let base = IAMValidation.policySize(Self.allow("s3:GetObject"))
        // `"Sid":"…",` adds nine characters besides the padding.
        let half = Self.allow("s3:GetObject", padding: quota / 2 - base - 9)
        #expect(IAMValidation.policySize(half) == quota / 2)
        try await iam.directory.putInlinePolicy(of: owner, name: "one", document: half)
        try await iam.directory.putInlinePolicy(of: owner, name: "two", document: half)
        try await iam.directory.putInlinePolicy(of: owner, name: "two", document: half + "   \n\t  ")
        await #expect(throws: IAMError.limitExceeded("Maximum policy size of \(quota) bytes exceeded for \(owner.kind) \(owner.name)")) {
            try await iam.directory.putInlinePolicy(of: owner, name: "three", document: Self.allow("s3:*"))
        }
    }

    @Test func managedPoliciesHaveUpToFiveVersionsOneOfThemTheDefault() async throws {
        let iam = try await IAMFixture()
        let policy = try await iam.directory.createPolicy(name: "deploy", path: "/ci/", document: Self.allow("lambda:*"),
                                                          description: "deploys", tags: [IAMTag(key: "t", value: "1")])
        #expect(policy.arn == "arn:aws:iam::123456789012:policy/ci/deploy" && policy.policyId.hasPrefix("ANPA"))
        #expect(policy.defaultVersionId == "v1" && policy.versions.map(\.versionId) == ["v1"])
        await #expect(throws: IAMError.entityAlreadyExists("A policy called deploy already exists. Duplicate names are not allowed.")) {
            _ = try await iam.directory.createPolicy(name: "deploy", document: Self.allow("lambda:*"))
        }
        for n in 2...5 {
            let version = try await iam.directory.createPolicyVersion(arn: policy.arn, document: Self.allow("lambda:Invoke\(n)"),
                                                                      setAsDefault: n == 3)
            #expect(version.versionId == "v\(n)")
        }
        #expect(try iam.directory.policy(arn: policy.arn).defaultVersionId == "v3")
        #expect(iam.state.snapshot.managedPolicies[policy.arn]?.defaultDocument == Self.allow("lambda:Invoke3"))
        await #expect(throws: IAMError.limitExceeded(
            "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")) {
            _ = try await iam.directory.createPolicyVersion(arn: policy.arn, document: Self.allow("s3:*"))
        }
        await #expect(throws: IAMError.deleteConflict("Cannot delete the default version of a policy.")) {
            try await iam.directory.deletePolicyVersion(arn: policy.arn, versionId: "v3")
        }
        try await iam.directory.deletePolicyVersion(arn: policy.arn, versionId: "v5")
        #expect(try await iam.directory.createPolicyVersion(arn: policy.arn, document: Self.allow("s3:*")).versionId == "v6",
                "version numbers are not given again")
        #expect(try iam.directory.policyVersions(arn: policy.arn).versions.map(\.versionId) == ["v6", "v4", "v3", "v2", "v1"])
        #expect(throws: IAMError.noSuchEntity("Policy \(policy.arn) version v5 does not exist or is not attachable.")) {
            try iam.directory.policyVersion(arn: policy.arn, versionId: "v5")
        }
        try await iam.directory.setDefaultPolicyVersion(arn: policy.arn, versionId: "v6")
        #expect(try iam.directory.policyVersion(arn: policy.arn, versionId: "v6").isDefault)

        await #expect(throws: IAMError.deleteConflict(
            "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")) {
            try await iam.directory.deletePolicy(arn: policy.arn)
        }
        for v in ["v1", "v2", "v3", "v4"] { try await iam.directory.deletePolicyVersion(arn: policy.arn, versionId: v) }
        _ = try await iam.directory.createRole(name: "r", assumeRolePolicyDocument: IAMFixture.lambdaTrust)
        try await iam.directory.attachPolicy(policy.arn, to: .role("r"))
        await #expect(throws: IAMError.deleteConflict("Cannot delete a policy attached to entities.")) {
            try await iam.directory.deletePolicy(arn: policy.arn)
        }
        try await iam.directory.detachPolicy(policy.arn, from: .role("r"))
        try await iam.directory.deletePolicy(arn: policy.arn)
        #expect(throws: IAMError.noSuchEntity("Policy \(policy.arn) was not found.")) { try iam.directory.policy(arn: policy.arn) }
    }

    @Test func aManagedPolicyIsAtMost6144CharactersWithoutWhitespace() async throws {
        let iam = try await IAMFixture()
        let fits = Self.allow("s3:GetObject", padding: 6144 - IAMValidation.policySize(Self.allow("s3:GetObject")) - 9)
        #expect(IAMValidation.policySize(fits) == 6144)
        _ = try await iam.directory.createPolicy(name: "fits", document: fits.replacingOccurrences(of: ",", with: ",\n    "))
        let over = Self.allow("s3:GetObject", padding: 6144 - IAMValidation.policySize(Self.allow("s3:GetObject")) - 8)
        await #expect(throws: IAMError.limitExceeded("Cannot exceed quota for PolicySize: 6144")) {
            _ = try await iam.directory.createPolicy(name: "over", document: over)
        }
    }

    @Test func attachmentsAreTenPerEntityAndDetachingWhatIsNotAttachedIsNotFound() async throws {
        let iam = try await IAMFixture()
        _ = try await iam.directory.createGroup(name: "devs")
        var arns: [String] = []
        for i in 1...11 { arns.append(try await iam.directory.createPolicy(name: "p\(i)", document: Self.allow("s3:Get\(i)")).arn) }
        for arn in arns.prefix(10) { try await iam.directory.attachPolicy(arn, to: .group("devs")) }
        try await iam.directory.attachPolicy(arns[0], to: .group("devs"))
        await #expect(throws: IAMError.limitExceeded("Cannot exceed quota for PoliciesPerGroup: 10")) {
            try await iam.directory.attachPolicy(arns[10], to: .group("devs"))
        }
        #expect(try iam.directory.attachedPolicies(of: .group("devs")).map(\.arn) == Array(arns.prefix(10)))
        #expect(iam.state.snapshot.attachmentCount(of: arns[0]) == 1)
        await #expect(throws: IAMError.noSuchEntity("Policy \(arns[10]) was not found.")) {
            try await iam.directory.detachPolicy(arns[10], from: .group("devs"))
        }
        await #expect(throws: IAMError.noSuchEntity("Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.")) {
            try await iam.directory.attachPolicy("arn:aws:iam::aws:policy/Nope", to: .group("devs"))
        }
        await #expect(throws: IAMError.invalidInput("ARN AmazonS3FullAccess is not valid.")) {
            try await iam.directory.attachPolicy("AmazonS3FullAccess", to: .group("devs"))
        }
        _ = try await iam.directory.createUser(name: "ci")
        try await iam.directory.addUser("ci", toGroup: "devs")
        let entities = try iam.directory.entities(forPolicy: arns[0])
        #expect(entities.groups.map(\.name) == ["devs"] && entities.users.isEmpty && entities.roles.isEmpty)
        #expect(iam.state.snapshot.policyDocuments(for: .user("ci")).count == 10, "a user gets its groups' policies")
    }

    @Test func awsManagedPoliciesAreBuiltInAttachableAndNotChangeable() async throws {
        let iam = try await IAMFixture()
        let basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        let policy = try iam.directory.policy(arn: basic)
        #expect(policy.path == "/service-role/" && policy.isAWSManaged)
        #expect(policy.defaultDocument?.contains("logs:CreateLogStream") == true)
        for aws in AWSManagedPolicies.all {
            try IAMDirectory.parsePolicy(aws.defaultDocument!, kind: .identity)
        }
        let awsNames = try iam.directory.policies(scope: .aws).map(\.name)
        #expect(Set(awsNames) == ["AdministratorAccess", "AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSLambdaRole",
                                   "AWSLambda_FullAccess", "AmazonSQSFullAccess", "IAMFullAccess", "PowerUserAccess"])
        #expect(try iam.directory.policies(scope: .local).isEmpty)
        #expect(try iam.directory.policies(onlyAttached: true).isEmpty)
        _ = try await iam.directory.createRole(name: "fn", assumeRolePolicyDocument: IAMFixture.lambdaTrust)
        try await iam.directory.attachPolicy(basic, to: .role("fn"))
        #expect(try iam.directory.policies(onlyAttached: true).map(\.arn) == [basic])
        #expect(iam.state.snapshot.policyDocuments(for: .role("fn")) == [policy.defaultDocument!])
        await #expect(throws: IAMError.self) { try await iam.directory.deletePolicy(arn: basic) }
        await #expect(throws: IAMError.self) { _ = try await iam.directory.createPolicyVersion(arn: basic, document: Self.allow("*")) }
        #expect(try iam.directory.policies(pathPrefix: "/service-role/").count == 3)
    }

    @Test func aPermissionsBoundaryMustNameAPolicy() async throws {
        let iam = try await IAMFixture()
        let admin = "arn:aws:iam::aws:policy/AdministratorAccess"
        #expect(try await iam.directory.createUser(name: "bounded", permissionsBoundary: admin).permissionsBoundary == admin)
        #expect(iam.state.snapshot.boundaryUsageCount(of: admin) == 1)
        #expect(try iam.directory.policies(usage: .permissionsBoundary).map(\.arn) == [admin])
        #expect(try iam.directory.entities(forPolicy: admin, usage: .permissionsBoundary).users.map(\.name) == ["bounded"])
        #expect(try iam.directory.entities(forPolicy: admin).users.isEmpty, "a boundary is not an attachment")
        await #expect(throws: IAMError.noSuchEntity("Scope ARN: arn:aws:iam::123456789012:policy/none does not exist or is not attachable.")) {
            _ = try await iam.directory.createUser(name: "x", permissionsBoundary: "arn:aws:iam::123456789012:policy/none")
        }
    }
}
