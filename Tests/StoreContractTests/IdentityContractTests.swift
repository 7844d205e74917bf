import Foundation
import Identity
import Testing

extension StoreKind {
    /// A fresh store of this kind, as the `IdentityStore` it also is.
    func withIdentityStore(_ body: (any IdentityStore) async throws -> Void) async throws {
        try await withStore { store in try await body(try #require(store as? any IdentityStore)) }
    }
}

private enum IAM {
    static let date = Date(timeIntervalSince1970: 1_700_000_000)

    static func user(_ name: String, id: String? = nil) -> IAMUser {
        IAMUser(name: name, path: "/", userId: id ?? "AIDA\(name.uppercased())", arn: "arn:aws:iam::000000000000:user/\(name)", createDate: date)
    }

    static func group(_ name: String) -> IAMGroup {
        IAMGroup(name: name, path: "/", groupId: "AGPA\(name.uppercased())", arn: "arn:aws:iam::000000000000:group/\(name)", createDate: date)
    }

    static func role(_ name: String, description: String? = nil) -> IAMRole {
        IAMRole(name: name, path: "/", roleId: "AROA\(name.uppercased())", arn: "arn:aws:iam::000000000000:role/\(name)", createDate: date,
                assumeRolePolicyDocument: "{}", description: description)
    }

    static func policy(_ name: String, description: String? = nil) -> ManagedPolicy {
        ManagedPolicy(name: name, path: "/", policyId: "ANPA\(name.uppercased())", arn: arn(name), description: description,
                      createDate: date, updateDate: date, defaultVersionId: "v1",
                      versions: [PolicyVersion(versionId: "v1", document: "{\"Statement\":[]}", createDate: date)])
    }

    static func arn(_ policy: String) -> String { "arn:aws:iam::000000000000:policy/\(policy)" }

    static func key(_ id: String, of user: String, created: TimeInterval = 0) -> SealedAccessKey {
        SealedAccessKey(accessKeyId: id, userName: user, sealedSecret: Array("sealed-\(id)".utf8), status: .active,
                        createDate: date.addingTimeInterval(created))
    }
}

extension StoreContract {
    /// IAM's persistence: entities by name without case, relations in the order they were added, renames carrying
    /// their relations, duplicates and missing rows refused.
    @Suite struct Identity {
        @Test(arguments: StoreKind.allCases) func entitiesRoundTripAndCompareNamesWithoutCase(kind: StoreKind) async throws {
            try await kind.withIdentityStore { store in
                #expect(try await store.loadIdentity().users.isEmpty)
                try await store.insertUser(IAM.user("bob"))
                try await store.insertUser(IAM.user("Alice"))
                await #expect(throws: IdentityStoreError.self) { try await store.insertUser(IAM.user("BOB", id: "AIDAOTHER")) }
                try await store.insertGroup(IAM.group("devs"))
                await #expect(throws: IdentityStoreError.self) { try await store.insertGroup(IAM.group("Devs")) }
                try await store.insertRole(IAM.role("runner"))
                await #expect(throws: IdentityStoreError.self) { try await store.insertRole(IAM.role("RUNNER")) }
                try await store.insertManagedPolicy(IAM.policy("ReadAll"))
                await #expect(throws: IdentityStoreError.self) { try await store.insertManagedPolicy(IAM.policy("readall")) }

                let loaded = try await store.loadIdentity()
                // Listed by name without case.
                #expect(loaded.users == [IAM.user("Alice"), IAM.user("bob")])
                #expect(loaded.groups == [IAM.group("devs")])
                #expect(loaded.roles == [IAM.role("runner")])
                #expect(loaded.managedPolicies == [IAM.policy("ReadAll")])

                try await store.replaceRole(IAM.role("runner", description: "runs"))
                await #expect(throws: IdentityStoreError.notFound("role ghost")) { try await store.replaceRole(IAM.role("ghost")) }
                try await store.replaceManagedPolicy(IAM.policy("ReadAll", description: "reads"))
                await #expect(throws: IdentityStoreError.self) { try await store.replaceManagedPolicy(IAM.policy("Ghost")) }
                let changed = try await store.loadIdentity()
                #expect(changed.roles.first?.description == "runs")
                #expect(changed.managedPolicies.first?.description == "reads")

                try await store.deleteRole(named: "RUNNER")
                await #expect(throws: IdentityStoreError.self) { try await store.deleteRole(named: "runner") }
                try await store.deleteGroup(named: "devs")
                await #expect(throws: IdentityStoreError.self) { try await store.deleteGroup(named: "devs") }
                try await store.deleteUser(named: "alice")
                #expect(try await store.loadIdentity().users == [IAM.user("bob")])
            }
        }

        @Test(arguments: StoreKind.allCases) func accessKeys(kind: StoreKind) async throws {
            try await kind.withIdentityStore { store in
                await #expect(throws: IdentityStoreError.self) { try await store.insertAccessKey(IAM.key("AKIA1", of: "bob")) }
                try await store.insertUser(IAM.user("bob"))
                try await store.insertAccessKey(IAM.key("AKIA2", of: "bob", created: 10))
                try await store.insertAccessKey(IAM.key("AKIA1", of: "bob"))
                await #expect(throws: IdentityStoreError.alreadyExists("access key AKIA1")) {
                    try await store.insertAccessKey(IAM.key("AKIA1", of: "bob"))
                }
                // Oldest first, secrets as sealed.
                #expect(try await store.loadIdentity().accessKeys == [IAM.key("AKIA1", of: "bob"), IAM.key("AKIA2", of: "bob", created: 10)])

                try await store.setAccessKeyStatus("AKIA1", to: .inactive)
                await #expect(throws: IdentityStoreError.self) { try await store.setAccessKeyStatus("AKIA9", to: .inactive) }
                let use = AccessKeyLastUsed(date: IAM.date.addingTimeInterval(60), serviceName: "lambda", region: "us-east-1")
                // Keys deleted meanwhile are skipped.
                try await store.recordAccessKeyUse(["AKIA2": use, "AKIA9": use])
                let keys = try await store.loadIdentity().accessKeys
                #expect(keys.map(\.status) == [.inactive, .active])
                #expect(keys.map(\.lastUsed) == [nil, use])

                try await store.deleteAccessKey("AKIA1")
                await #expect(throws: IdentityStoreError.self) { try await store.deleteAccessKey("AKIA1") }
                // A user's keys go with the user.
                try await store.deleteUser(named: "bob")
                #expect(try await store.loadIdentity().accessKeys.isEmpty)
            }
        }

        @Test(arguments: StoreKind.allCases) func membershipsAndPoliciesKeepTheirOrderAndFollowRenames(kind: StoreKind) async throws {
            try await kind.withIdentityStore { store in
                for name in ["carol", "bob"] { try await store.insertUser(IAM.user(name)) }
                for name in ["ops", "devs"] { try await store.insertGroup(IAM.group(name)) }
                try await store.insertRole(IAM.role("runner"))
                try await store.insertAccessKey(IAM.key("AKIA1", of: "bob"))

                await #expect(throws: IdentityStoreError.self) { try await store.addUser("ghost", toGroup: "devs") }
                await #expect(throws: IdentityStoreError.self) { try await store.addUser("bob", toGroup: "ghosts") }
                try await store.addUser("carol", toGroup: "ops")
                try await store.addUser("bob", toGroup: "devs")
                try await store.addUser("bob", toGroup: "ops")
                try await store.addUser("BOB", toGroup: "ops") // twice is not an error
                try await store.putInlinePolicy("p2", document: "{\"v\":1}", of: .user("bob"))
                try await store.putInlinePolicy("p1", document: "{}", of: .group("devs"))
                try await store.putInlinePolicy("p2", document: "{\"v\":2}", of: .user("Bob")) // replaces
                await #expect(throws: IdentityStoreError.self) { try await store.putInlinePolicy("p", document: "{}", of: .role("ghost")) }
                try await store.insertManagedPolicy(IAM.policy("ReadAll"))
                try await store.attachPolicy(IAM.arn("ReadAll"), to: .user("bob"))
                try await store.attachPolicy("arn:aws:iam::aws:policy/AdministratorAccess", to: .role("runner"))
                try await store.attachPolicy(IAM.arn("ReadAll"), to: .user("bob")) // twice is not an error
                try await store.attachPolicy(IAM.arn("ReadAll"), to: .group("ops"))
                await #expect(throws: IdentityStoreError.self) { try await store.attachPolicy(IAM.arn("ReadAll"), to: .group("ghosts")) }

                var loaded = try await store.loadIdentity()
                #expect(loaded.memberships == [GroupMembership(groupName: "ops", userName: "carol"), GroupMembership(groupName: "devs", userName: "bob"),
                                               GroupMembership(groupName: "ops", userName: "bob")])
                #expect(loaded.inlinePolicies == [InlinePolicy(owner: .user("bob"), name: "p2", document: "{\"v\":2}"),
                                                  InlinePolicy(owner: .group("devs"), name: "p1", document: "{}")])
                #expect(loaded.attachments == [PolicyAttachment(owner: .user("bob"), policyArn: IAM.arn("ReadAll")),
                                               PolicyAttachment(owner: .role("runner"), policyArn: "arn:aws:iam::aws:policy/AdministratorAccess"),
                                               PolicyAttachment(owner: .group("ops"), policyArn: IAM.arn("ReadAll"))])

                // A rename carries keys, memberships, inline policies and attachments, in their places.
                try await store.replaceUser(named: "bob", with: IAM.user("robert", id: "AIDABOB"))
                try await store.replaceGroup(named: "ops", with: IAM.group("operations"))
                await #expect(throws: IdentityStoreError.self) { try await store.replaceUser(named: "carol", with: IAM.user("ROBERT", id: "AIDACAROL")) }
                await #expect(throws: IdentityStoreError.self) { try await store.replaceUser(named: "ghost", with: IAM.user("ghost2")) }
                loaded = try await store.loadIdentity()
                #expect(loaded.users.map(\.name) == ["carol", "robert"])
                #expect(loaded.accessKeys.map(\.userName) == ["robert"])
                #expect(loaded.memberships == [GroupMembership(groupName: "operations", userName: "carol"), GroupMembership(groupName: "devs", userName: "robert"),
                                               GroupMembership(groupName: "operations", userName: "robert")])
                #expect(loaded.inlinePolicies.first == InlinePolicy(owner: .user("robert"), name: "p2", document: "{\"v\":2}"))
                #expect(loaded.attachments.map(\.owner) == [.user("robert"), .role("runner"), .group("operations")])

                try await store.removeUser("ROBERT", fromGroup: "devs")
                await #expect(throws: IdentityStoreError.self) { try await store.removeUser("robert", fromGroup: "devs") }
                try await store.deleteInlinePolicy("p1", of: .group("devs"))
                await #expect(throws: IdentityStoreError.self) { try await store.deleteInlinePolicy("p1", of: .group("devs")) }
                try await store.detachPolicy("arn:aws:iam::aws:policy/AdministratorAccess", from: .role("runner"))
                await #expect(throws: IdentityStoreError.self) {
                    try await store.detachPolicy("arn:aws:iam::aws:policy/AdministratorAccess", from: .role("runner"))
                }
                // Deleting a managed policy detaches it everywhere; deleting an owner drops its relations.
                try await store.deleteManagedPolicy(arn: IAM.arn("ReadAll"))
                await #expect(throws: IdentityStoreError.self) { try await store.deleteManagedPolicy(arn: IAM.arn("ReadAll")) }
                try await store.deleteUser(named: "robert")
                loaded = try await store.loadIdentity()
                #expect(loaded.attachments.isEmpty)
                #expect(loaded.inlinePolicies.isEmpty)
                #expect(loaded.memberships == [GroupMembership(groupName: "operations", userName: "carol")])
            }
        }

        /// Nodes creating the same user at once: exactly one succeeds, the others are told it exists.
        @Test(arguments: StoreKind.allCases) func concurrentInsertsOfOneNameLetOneWin(kind: StoreKind) async throws {
            try await kind.withIdentityStore { store in
                let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for i in 0..<8 {
                        group.addTask {
                            do {
                                try await store.insertUser(IAM.user(i % 2 == 0 ? "dana" : "DANA", id: "AIDA\(i)"))
                                return true
                            } catch is IdentityStoreError {
                                return false
                            }
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 }.count == 1)
                #expect(try await store.loadIdentity().users.count == 1)
            }
        }

        /// Concurrent key creations for one user all land: the store keeps rows consistent but does not count keys (the
        /// two-keys-per-user rule is the directory's, checked against its snapshot). A key or membership written while
        /// its user is being deleted does not outlive the user.
        @Test(arguments: StoreKind.allCases) func concurrentAccessKeyWritesStayConsistent(kind: StoreKind) async throws {
            try await kind.withIdentityStore { store in
                try await store.insertUser(IAM.user("erin"))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<6 { group.addTask { try await store.insertAccessKey(IAM.key("AKIA\(i)", of: "erin", created: Double(i))) } }
                    try await group.waitForAll()
                }
                #expect(try await store.loadIdentity().accessKeys.map(\.accessKeyId) == (0..<6).map { "AKIA\($0)" })

                try await store.insertUser(IAM.user("frank"))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await store.deleteUser(named: "frank") }
                    for i in 0..<4 {
                        group.addTask {
                            do {
                                try await store.insertAccessKey(IAM.key("AKIAF\(i)", of: "frank"))
                                try await store.addUser("frank", toGroup: "none")
                            } catch is IdentityStoreError {}
                        }
                    }
                    try await group.waitForAll()
                }
                let loaded = try await store.loadIdentity()
                #expect(loaded.users.map(\.name) == ["erin"])
                #expect(loaded.accessKeys.allSatisfy { $0.userName == "erin" })
            }
        }
    }
}
