import Foundation
import Testing
@testable import Identity

/// Users, access keys, groups and roles through the directory over SQLite: AWS's rules, quotas and messages, and
/// the snapshot the authorizer reads kept in step with every write.
@Suite struct IAMDirectoryTests {
    @Test func createGetListAndDeleteAUser() async throws {
        let iam = try await IAMFixture()
        let ci = try await iam.directory.createUser(name: "ci", path: "/bots/", tags: [IAMTag(key: "team", value: "infra")])
        #expect(ci.arn == "arn:aws:iam::123456789012:user/bots/ci")
        #expect(ci.userId.hasPrefix("AIDA") && ci.userId.count == 21)
        #expect(ci.userId.dropFirst(4).allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains($0) })
        #expect(try iam.directory.user(named: "ci") == ci)
        #expect(iam.state.snapshot.users["ci"] == ci, "the authorizer sees the new user at once")
        _ = try await iam.directory.createUser(name: "alice")
        #expect(try iam.directory.users().map(\.name) == ["alice", "ci"])
        #expect(try iam.directory.users(pathPrefix: "/bots/").map(\.name) == ["ci"])

        await #expect(throws: IAMError.entityAlreadyExists("User with name ci already exists.")) {
            _ = try await iam.directory.createUser(name: "ci")
        }
        await #expect(throws: IAMError.entityAlreadyExists("User with name CI already exists."), "names are unique without case") {
            _ = try await iam.directory.createUser(name: "CI")
        }
        #expect(try iam.directory.user(named: "CI").name == "ci", "and found without case")

        try await iam.directory.deleteUser(named: "ci")
        #expect(throws: IAMError.noSuchEntity("The user with name ci cannot be found.")) { try iam.directory.user(named: "ci") }
        await #expect(throws: IAMError.noSuchEntity("The user with name ci cannot be found.")) { try await iam.directory.deleteUser(named: "ci") }
    }

    @Test func aUserWithKeysPoliciesOrGroupsCannotBeDeleted() async throws {
        let iam = try await IAMFixture()
        _ = try await iam.directory.createUser(name: "ci")
        let key = try await iam.directory.createAccessKey(userName: "ci")
        await #expect(throws: IAMError.deleteConflict("Cannot delete entity, must delete access keys first.")) {
            try await iam.directory.deleteUser(named: "ci")
        }
        try await iam.directory.deleteAccessKey(userName: "ci", accessKeyId: key.accessKeyId)
        try await iam.directory.putInlinePolicy(of: .user("ci"), name: "all", document: IAMFixture.allowAll)
        await #expect(throws: IAMError.deleteConflict("Cannot delete entity, must delete policies first.")) {
            try await iam.directory.deleteUser(named: "ci")
        }
        try await iam.directory.deleteInlinePolicy(of: .user("ci"), name: "all")
        try await iam.directory.attachPolicy("arn:aws:iam::aws:policy/AdministratorAccess", to: .user("ci"))
        await #expect(throws: IAMError.deleteConflict("Cannot delete entity, must detach all policies first.")) {
            try await iam.directory.deleteUser(named: "ci")
        }
        try await iam.directory.detachPolicy("arn:aws:iam::aws:policy/AdministratorAccess", from: .user("ci"))
        _ = try await iam.directory.createGroup(name: "devs")
        try await iam.directory.addUser("ci", toGroup: "devs")
        await #expect(throws: IAMError.deleteConflict("Cannot delete entity, must remove users from group first.")) {
            try await iam.directory.deleteUser(named: "ci")
        }
        try await iam.directory.removeUser("ci", fromGroup: "devs")
        try await iam.directory.deleteUser(named: "ci")
        #expect(iam.state.snapshot.users.isEmpty)
    }

    @Test func accessKeysAreTwoPerUserWithFortyCharacterSecrets() async throws {
        let iam = try await IAMFixture()
        _ = try await iam.directory.createUser(name: "ci")
        let first = try await iam.directory.createAccessKey(userName: "ci")
        #expect(first.accessKeyId.count == 20 && first.accessKeyId.hasPrefix("AKIA"))
        #expect(first.accessKeyId.dropFirst(4).allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains($0) })
        #expect(first.secret.count == 40 && first.status == .active)
        #expect(iam.state.snapshot.accessKeys[first.accessKeyId]?.secret == first.secret, "the authorizer can verify with it")
        let second = try await iam.directory.createAccessKey(userName: "ci")
        await #expect(throws: IAMError.limitExceeded("Cannot exceed quota for AccessKeysPerUser: 2")) {
            _ = try await iam.directory.createAccessKey(userName: "ci")
        }
        #expect(Set(try iam.directory.accessKeys(userName: "ci").map(\.accessKeyId)) == [first.accessKeyId, second.accessKeyId])

        try await iam.directory.updateAccessKey(userName: "ci", accessKeyId: first.accessKeyId, status: "Inactive")
        #expect(iam.state.snapshot.accessKeys[first.accessKeyId]?.status == .inactive)
        await #expect(throws: IAMError.self) {
            try await iam.directory.updateAccessKey(userName: "ci", accessKeyId: first.accessKeyId, status: "Sleeping")
        }
        _ = try await iam.directory.createUser(name: "other")
        await #expect(throws: IAMError.noSuchEntity("The Access Key with id \(first.accessKeyId) cannot be found."),
                      "a key is found only under its own user") {
            try await iam.directory.deleteAccessKey(userName: "other", accessKeyId: first.accessKeyId)
        }
        try await iam.directory.deleteAccessKey(userName: "ci", accessKeyId: first.accessKeyId)
        #expect(iam.state.snapshot.accessKeys[first.accessKeyId] == nil)
    }

    @Test func renamingAUserCarriesItsKeysGroupsAndPolicies() async throws {
        let iam = try await IAMFixture()
        _ = try await iam.directory.createUser(name: "ci")
        _ = try await iam.directory.createUser(name: "taken")
        let key = try await iam.directory.createAccessKey(userName: "ci")
        _ = try await iam.directory.createGroup(name: "devs")
        try await iam.directory.addUser("ci", toGroup: "devs")
        try await iam.directory.putInlinePolicy(of: .user("ci"), name: "all", document: IAMFixture.allowAll)
        try await iam.directory.attachPolicy("arn:aws:iam::aws:policy/IAMFullAccess", to: .user("ci"))
        await #expect(throws: IAMError.entityAlreadyExists("User with name taken already exists.")) {
            try await iam.directory.updateUser(named: "ci", newName: "taken")
        }

        try await iam.directory.updateUser(named: "ci", newName: "builder", newPath: "/bots/")
        for snapshot in [iam.state.snapshot, try await iam.reopened().state.snapshot] {
            #expect(snapshot.users["ci"] == nil)
            #expect(snapshot.users["builder"]?.arn == "arn:aws:iam::123456789012:user/bots/builder")
            #expect(snapshot.accessKeys[key.accessKeyId]?.userName == "builder")
            #expect(snapshot.groupMembers["devs"] == ["builder"])
            #expect(snapshot.inlinePolicies[.user("builder")]?["all"] == IAMFixture.allowAll)
            #expect(snapshot.attachments[.user("builder")] == ["arn:aws:iam::aws:policy/IAMFullAccess"])
        }
    }

    @Test func tagsMergeWithoutCaseAndStopAtFifty() async throws {
        let iam = try await IAMFixture()
        _ = try await iam.directory.createUser(name: "ci", tags: [IAMTag(key: "Env", value: "dev")])
        try await iam.directory.tagUser(named: "ci", tags: [IAMTag(key: "env", value: "prod"), IAMTag(key: "team", value: "a")])
        #expect(try iam.directory.user(named: "ci").tags == [IAMTag(key: "env", value: "prod"), IAMTag(key: "team", value: "a")])
        try await iam.directory.untagUser(named: "ci", keys: ["TEAM", "absent"])
        #expect(try iam.directory.user(named: "ci").tags == [IAMTag(key: "env", value: "prod")])
        try await iam.directory.tagUser(named: "ci", tags: (1...49).map { IAMTag(key: "k\($0)", value: "v") })
        await #expect(throws: IAMError.limitExceeded("The number of tags has reached the maximum limit.")) {
            try await iam.directory.tagUser(named: "ci", tags: [IAMTag(key: "one-more", value: "v")])
        }
    }

    @Test func groupsHoldUsersAndAUserIsInAtMostTen() async throws {
        let iam = try await IAMFixture()
        _ = try await iam.directory.createUser(name: "ci")
        _ = try await iam.directory.createUser(name: "alice")
        let devs = try await iam.directory.createGroup(name: "devs", path: "/eng/")
        #expect(devs.arn == "arn:aws:iam::123456789012:group/eng/devs" && devs.groupId.hasPrefix("AGPA"))
        await #expect(throws: IAMError.entityAlreadyExists("Group with name DEVS already exists.")) {
            _ = try await iam.directory.createGroup(name: "DEVS")
        }
        try await iam.directory.addUser("ci", toGroup: "devs")
        try await iam.directory.addUser("alice", toGroup: "devs")
        try await iam.directory.addUser("ci", toGroup: "devs")
        #expect(try iam.directory.group(named: "devs").users.map(\.name) == ["alice", "ci"])
        #expect(try iam.directory.groups(ofUser: "ci").map(\.name) == ["devs"])
        await #expect(throws: IAMError.deleteConflict("Cannot delete entity, must remove users from group first.")) {
            try await iam.directory.deleteGroup(named: "devs")
        }
        for i in 1...9 {
            _ = try await iam.directory.createGroup(name: "g\(i)")
            try await iam.directory.addUser("ci", toGroup: "g\(i)")
        }
        _ = try await iam.directory.createGroup(name: "g10")
        await #expect(throws: IAMError.limitExceeded("Cannot exceed quota for GroupsPerUser: 10")) {
            try await iam.directory.addUser("ci", toGroup: "g10")
        }

        try await iam.directory.updateGroup(named: "devs", newName: "engineers")
        #expect(iam.state.snapshot.groupMembers["engineers"] == ["ci", "alice"])
        #expect(try iam.directory.groups(ofUser: "alice").map(\.arn) == ["arn:aws:iam::123456789012:group/eng/engineers"])
        await #expect(throws: IAMError.noSuchEntity("The group with name devs cannot be found.")) {
            try await iam.directory.addUser("ci", toGroup: "devs")
        }
    }

    @Test func rolesValidateTheirTrustPolicyAndSessionDuration() async throws {
        let iam = try await IAMFixture()
        let role = try await iam.directory.createRole(name: "exec", path: "/service-role/", assumeRolePolicyDocument: IAMFixture.lambdaTrust,
                                                      description: "runs functions", maxSessionDuration: 7200)
        #expect(role.arn == "arn:aws:iam::123456789012:role/service-role/exec" && role.roleId.hasPrefix("AROA"))
        #expect(role.maxSessionDuration == 7200)
        #expect(try await iam.directory.createRole(name: "defaulted", assumeRolePolicyDocument: IAMFixture.lambdaTrust).maxSessionDuration == 3600)
        await #expect(throws: IAMError.entityAlreadyExists("Role with name exec already exists.")) {
            _ = try await iam.directory.createRole(name: "exec", assumeRolePolicyDocument: IAMFixture.lambdaTrust)
        }
        let malformed = await #expect(throws: IAMError.self) {
            _ = try await iam.directory.createRole(name: "bad", assumeRolePolicyDocument: IAMFixture.allowAll)
        }
        #expect(malformed?.code == "MalformedPolicyDocument" && malformed?.status == 400)
        await #expect(throws: IAMError.self) {
            _ = try await iam.directory.createRole(name: "short", assumeRolePolicyDocument: IAMFixture.lambdaTrust, maxSessionDuration: 60)
        }
        let services = (1...120).map { "\"svc\($0).amazonaws.com\"" }.joined(separator: ",")
        let bigTrust = IAMFixture.policy(#"{"Effect":"Allow","Principal":{"Service":[\#(services)]},"Action":"sts:AssumeRole"}"#)
        await #expect(throws: IAMError.limitExceeded("Cannot exceed quota for ACLSizePerRole: 2048")) {
            _ = try await iam.directory.createRole(name: "big", assumeRolePolicyDocument: bigTrust)
        }

        try await iam.directory.updateRole(named: "exec", description: "new", maxSessionDuration: 43200)
        #expect(try iam.directory.role(named: "exec").maxSessionDuration == 43200)
        #expect(try await iam.directory.updateRoleDescription(named: "exec", description: "newer").description == "newer")
        let other = IAMFixture.policy(#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}"#)
        try await iam.directory.updateAssumeRolePolicy(roleName: "exec", document: other)
        #expect(iam.state.snapshot.roles["exec"]?.assumeRolePolicyDocument == other)
        try await iam.directory.tagRole(named: "exec", tags: [IAMTag(key: "a", value: "1")])
        try await iam.directory.untagRole(named: "exec", keys: ["a"])
        #expect(try iam.directory.role(named: "exec").tags.isEmpty)

        try await iam.directory.putInlinePolicy(of: .role("exec"), name: "p", document: IAMFixture.allowAll)
        try await iam.directory.attachPolicy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", to: .role("exec"))
        await #expect(throws: IAMError.deleteConflict("Cannot delete entity, must detach all policies first.")) {
            try await iam.directory.deleteRole(named: "exec")
        }
        try await iam.directory.detachPolicy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", from: .role("exec"))
        await #expect(throws: IAMError.deleteConflict("Cannot delete entity, must delete policies first.")) {
            try await iam.directory.deleteRole(named: "exec")
        }
        try await iam.directory.deleteInlinePolicy(of: .role("exec"), name: "p")
        try await iam.directory.deleteRole(named: "exec")
        #expect(throws: IAMError.noSuchEntity("The role with name exec cannot be found.")) { try iam.directory.role(named: "exec") }
    }

    @Test func concurrentCreatesOfOneNameLetExactlyOneThrough() async throws {
        let iam = try await IAMFixture()
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (try? await iam.directory.createUser(name: "race")) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(iam.state.snapshot.users.count == 1)
    }
}
