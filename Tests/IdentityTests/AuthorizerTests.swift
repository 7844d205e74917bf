import AWSProtocol
import AccessPolicies
import Auth
import Crypto
import Foundation
import Testing
@testable import Identity

/// The authorizer and role sessions over a hand-made snapshot: who a key is, what its policies allow, AssumeRole's
/// trust rules.
@Suite struct AuthorizerTests {
    static let account = "000000000000"
    static let root = Credentials(accessKeyId: "AKIAROOTROOTROOTROOT", secretAccessKey: String(repeating: "r", count: 40))
    static let date = Date(timeIntervalSince1970: 1_800_000_000)

    static func policy(_ statements: String) -> String { #"{"Version":"2012-10-17","Statement":[\#(statements)]}"# }
    static let lambdaTrust = policy(#"{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}"#)

    struct World {
        let state: IdentityState
        let authorizer: Authorizer
        let roles: RoleSessions
    }

    static func world(_ snapshot: IdentitySnapshot) -> World {
        let state = IdentityState(snapshot: snapshot)
        let issuer = SessionIssuer(sealer: SecretSealer(key: SymmetricKey(size: .bits256)))
        let authorizer = Authorizer(root: root, accountId: account, state: state, sessions: issuer)
        return World(state: state, authorizer: authorizer, roles: RoleSessions(authorizer: authorizer, sessions: issuer, state: state))
    }

    static func user(_ name: String) -> IAMUser {
        IAMUser(name: name, path: "/", userId: "AIDA" + name.uppercased(), arn: "arn:aws:iam::\(account):user/\(name)", createDate: date)
    }

    static func role(_ name: String, trust: String, path: String = "/") -> IAMRole {
        IAMRole(name: name, path: path, roleId: "AROA" + name.uppercased(), arn: "arn:aws:iam::\(account):role\(path)\(name)",
                createDate: date, assumeRolePolicyDocument: trust)
    }

    static func key(_ id: String, of user: String, status: AccessKey.Status = .active) -> AccessKey {
        AccessKey(accessKeyId: id, userName: user, secret: String(repeating: "s", count: 40), status: status, createDate: date)
    }

    static func verified(_ id: String, token: String? = nil) -> VerifiedCaller {
        VerifiedCaller(accessKeyId: id, region: "us-east-1", service: "lambda", sessionToken: token)
    }

    static let fn = "arn:aws:lambda:us-east-1:000000000000:function:orders"

    @Test func keysResolveToTheirIdentityAndInactiveOnesAreRefused() throws {
        var snapshot = IdentitySnapshot(users: ["ci": Self.user("ci")])
        snapshot.accessKeys = ["AKIACI": Self.key("AKIACI", of: "ci"), "AKIAOFF": Self.key("AKIAOFF", of: "ci", status: .inactive)]
        let w = Self.world(snapshot)
        #expect(try w.authorizer.secret(forAccessKey: Self.root.accessKeyId, sessionToken: nil) == Self.root.secretAccessKey)
        #expect(try w.authorizer.caller(Self.verified(Self.root.accessKeyId)).isRoot)
        let ci = try w.authorizer.caller(Self.verified("AKIACI"))
        #expect(ci.identity.arn == "arn:aws:iam::000000000000:user/ci")
        #expect(ci.policyOwner == .user("ci"))
        #expect(throws: AuthError.unrecognizedClient) { try w.authorizer.secret(forAccessKey: "AKIAOFF", sessionToken: nil) }
        #expect(throws: AuthError.unrecognizedClient) { try w.authorizer.secret(forAccessKey: "AKIANONE", sessionToken: nil) }
    }

    @Test func identityPoliciesOfTheUserAndItsGroupsDecide() throws {
        var snapshot = IdentitySnapshot(users: ["ci": Self.user("ci")])
        snapshot.accessKeys = ["AKIACI": Self.key("AKIACI", of: "ci")]
        snapshot.inlinePolicies[.user("ci")] = ["get": Self.policy(#"{"Effect":"Allow","Action":"lambda:GetFunction","Resource":"\#(Self.fn)"}"#)]
        let w = Self.world(snapshot)
        let ci = try w.authorizer.caller(Self.verified("AKIACI"))
        try w.authorizer.authorize(ci, RequiredPermission(action: "lambda:GetFunction", resource: Self.fn))
        #expect(throws: AccessDenied(principalArn: ci.principal.arn, action: "lambda:InvokeFunction", resource: Self.fn,
                                     reason: .noIdentityPolicyAllows)) {
            try w.authorizer.authorize(ci, RequiredPermission(action: "lambda:InvokeFunction", resource: Self.fn))
        }
        // A group's deny, added later, wins: the cache follows the snapshot.
        var next = w.state.snapshot
        next.groups["ops"] = IAMGroup(name: "ops", path: "/", groupId: "AGPAOPS", arn: "arn:aws:iam::000000000000:group/ops", createDate: Self.date)
        next.groupMembers["ops"] = ["ci"]
        next.inlinePolicies[.group("ops")] = ["no": Self.policy(#"{"Effect":"Deny","Action":"lambda:Get*","Resource":"*"}"#)]
        w.state.replace(next)
        #expect(throws: AccessDenied(principalArn: ci.principal.arn, action: "lambda:GetFunction", resource: Self.fn,
                                     reason: .explicitDenyInIdentityPolicy)) {
            try w.authorizer.authorize(ci, RequiredPermission(action: "lambda:GetFunction", resource: Self.fn))
        }
    }

    @Test func aResourcePolicyNamingTheUserAllowsWithoutAnIdentityPolicy() throws {
        var snapshot = IdentitySnapshot(users: ["ci": Self.user("ci")])
        snapshot.accessKeys = ["AKIACI": Self.key("AKIACI", of: "ci")]
        let w = Self.world(snapshot)
        let ci = try w.authorizer.caller(Self.verified("AKIACI"))
        let functionPolicy = #"{"Version":"2012-10-17","Id":"default","Statement":[{"Sid":"u","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/ci"},"Action":"lambda:InvokeFunction","Resource":"\#(Self.fn)"}]}"#
        try w.authorizer.authorize(ci, RequiredPermission(action: "lambda:InvokeFunction", resource: Self.fn, resourcePolicy: functionPolicy))
        #expect(throws: AccessDenied.self) {
            try w.authorizer.authorize(ci, RequiredPermission(action: "lambda:GetFunction", resource: Self.fn, resourcePolicy: functionPolicy))
        }
    }

    @Test func rootIsNeverDenied() throws {
        let w = Self.world(IdentitySnapshot())
        let root = try w.authorizer.caller(Self.verified(Self.root.accessKeyId))
        try w.authorizer.authorize(root, RequiredPermission(action: "iam:DeleteUser", resource: "*"))
    }

    @Test func assumeRoleFollowsTheTrustPolicyAndTheCallersPolicies() throws {
        var snapshot = IdentitySnapshot(users: ["ci": Self.user("ci"), "dev": Self.user("dev")])
        snapshot.accessKeys = ["AKIACI": Self.key("AKIACI", of: "ci"), "AKIADEV": Self.key("AKIADEV", of: "dev")]
        let accountTrust = Self.policy(#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}"#)
        let devTrust = Self.policy(#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/dev"},"Action":"sts:AssumeRole"}"#)
        snapshot.roles = ["deploy": Self.role("deploy", trust: accountTrust), "devrole": Self.role("devrole", trust: devTrust),
                          "fn": Self.role("fn", trust: Self.lambdaTrust, path: "/service/")]
        snapshot.inlinePolicies[.user("ci")] = ["a": Self.policy(#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#)]
        let w = Self.world(snapshot)
        let ci = try w.authorizer.caller(Self.verified("AKIACI"))
        let dev = try w.authorizer.caller(Self.verified("AKIADEV"))
        let root = try w.authorizer.caller(Self.verified(Self.root.accessKeyId))
        let deploy = "arn:aws:iam::000000000000:role/deploy"

        // Trust names the account: the caller's own policy must allow too.
        let assumed = try w.roles.assumeRole(caller: ci, roleArn: deploy, sessionName: "s-1", durationSeconds: nil, externalId: nil)
        #expect(assumed.arn == "arn:aws:sts::000000000000:assumed-role/deploy/s-1")
        #expect(assumed.assumedRoleId == "AROADEPLOY:s-1")
        #expect(throws: STSError.self) {
            try w.roles.assumeRole(caller: dev, roleArn: deploy, sessionName: "s-1", durationSeconds: nil, externalId: nil)
        }
        // Trust names the user itself: no identity policy needed.
        _ = try w.roles.assumeRole(caller: dev, roleArn: "arn:aws:iam::000000000000:role/devrole", sessionName: "s-2",
                                   durationSeconds: nil, externalId: nil)
        // A role only Lambda may assume, the root, an unknown role: denied.
        #expect(throws: STSError.self) {
            try w.roles.assumeRole(caller: ci, roleArn: "arn:aws:iam::000000000000:role/service/fn", sessionName: "s", durationSeconds: nil, externalId: nil)
        }
        #expect(throws: STSError.accessDenied("Roles may not be assumed by root accounts.")) {
            try w.roles.assumeRole(caller: root, roleArn: deploy, sessionName: "s-3", durationSeconds: nil, externalId: nil)
        }
        #expect(throws: STSError.self) {
            try w.roles.assumeRole(caller: ci, roleArn: "arn:aws:iam::000000000000:role/nope", sessionName: "s-4", durationSeconds: nil, externalId: nil)
        }
        // Durations: above the role's maximum, and above an hour when chaining from a role session.
        #expect(throws: STSError.validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")) {
            try w.roles.assumeRole(caller: ci, roleArn: deploy, sessionName: "s-5", durationSeconds: 7200, externalId: nil)
        }
        #expect(throws: STSError.self) {
            try w.roles.assumeRole(caller: ci, roleArn: deploy, sessionName: "bad name!", durationSeconds: nil, externalId: nil)
        }
        // The session acts as the role.
        let session = try w.authorizer.caller(Self.verified(assumed.credentials.accessKeyId, token: assumed.credentials.sessionToken))
        #expect(session.identity.arn == assumed.arn)
        #expect(session.policyOwner == .role("deploy"))
        #expect(session.principal.roleArn == deploy)
    }

    @Test func lambdaAssumesOnlyRolesThatTrustIt() throws {
        var snapshot = IdentitySnapshot()
        snapshot.roles = ["fn": Self.role("fn", trust: Self.lambdaTrust, path: "/service/"),
                          "ec2": Self.role("ec2", trust: Self.policy(#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#))]
        let w = Self.world(snapshot)
        #expect(w.roles.lambdaCanAssume("arn:aws:iam::000000000000:role/service/fn"))
        #expect(!w.roles.lambdaCanAssume("arn:aws:iam::000000000000:role/ec2"))
        #expect(!w.roles.lambdaCanAssume("arn:aws:iam::000000000000:role/missing"))
        let c = try #require(try w.roles.executionRoleCredentials(roleArn: "arn:aws:iam::000000000000:role/service/fn",
                                                                  functionName: "orders", durationSeconds: 3600))
        let caller = try w.authorizer.caller(Self.verified(c.accessKeyId, token: c.sessionToken))
        #expect(caller.identity.arn == "arn:aws:sts::000000000000:assumed-role/fn/orders")
        #expect(try w.roles.executionRoleCredentials(roleArn: "arn:aws:iam::000000000000:role/ec2", functionName: "orders",
                                                     durationSeconds: 3600) == nil)
    }
}
