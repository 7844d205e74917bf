import AWSProtocol
import Crypto
import Foundation
import Logging

/// IAM's operations over one account: users, access keys, groups, roles, inline and managed policies, with AWS's
/// validation, quotas and messages. Reads answer from the `IdentityState` snapshot (which the authorizer reads on
/// every request); writes run one at a time, check IAM's rules against the snapshot, write one store transaction,
/// then publish the next snapshot.
public final class IAMDirectory: Sendable {
    let store: any IdentityStore
    let sealer: SecretSealer
    public let state: IdentityState
    public let accountId: String
    let clock: @Sendable () -> Date
    let logger: Logger
    let writes = OneAtATime()
    let keyUsage: AccessKeyUsage
    /// Set on a node of a cluster: the store has writes the snapshot may not have seen yet (another node's), so a write
    /// refused by the snapshot (no such entity, already exists) reloads it and is tried once more.
    let sharedStore: Bool

    /// - Parameter usageWriteInterval: how often, at most, the last use of access keys is written to the store.
    public init(store: any IdentityStore, sealer: SecretSealer, state: IdentityState, accountId: String,
                clock: @escaping @Sendable () -> Date = Date.init, usageWriteInterval: Duration = .seconds(60),
                sharedStore: Bool = false, logger: Logger = Logger(label: "swiftlet.iam")) {
        self.sharedStore = sharedStore
        self.store = store
        self.sealer = sealer
        self.state = state
        self.accountId = accountId
        self.clock = clock
        self.logger = logger
        self.keyUsage = AccessKeyUsage(interval: usageWriteInterval)
    }

    /// Reads the store into the snapshot (at startup, and in a cluster after another node's write): opens every sealed
    /// secret and adds the built-in AWS managed policies. A secret that does not open with this data dir's key is an
    /// error, not a key that silently fails. Runs in turn with writes, so a reload never publishes a snapshot older
    /// than a write this node made meanwhile.
    public func load() async throws {
        try await writes.run { try await loadInTurn() }
    }

    /// `load` for a caller that already has the writes' turn.
    private func loadInTurn() async throws {
        let stored = try await store.loadIdentity()
        var snapshot = IdentitySnapshot()
        for user in stored.users { snapshot.users[user.name] = user }
        var lastUses: [String: AccessKeyLastUsed] = [:]
        for key in stored.accessKeys {
            let secret = try sealer.openString(key.sealedSecret, context: key.accessKeyId)
            snapshot.accessKeys[key.accessKeyId] = AccessKey(accessKeyId: key.accessKeyId, userName: key.userName, secret: secret,
                                                             status: key.status, createDate: key.createDate)
            if let used = key.lastUsed { lastUses[key.accessKeyId] = used }
        }
        for group in stored.groups { snapshot.groups[group.name] = group }
        for membership in stored.memberships { snapshot.groupMembers[membership.groupName, default: []].append(membership.userName) }
        for role in stored.roles { snapshot.roles[role.name] = role }
        for policy in AWSManagedPolicies.all { snapshot.managedPolicies[policy.arn] = policy }
        for policy in stored.managedPolicies { snapshot.managedPolicies[policy.arn] = policy }
        for inline in stored.inlinePolicies { snapshot.inlinePolicies[inline.owner, default: [:]][inline.name] = inline.document }
        for attachment in stored.attachments { snapshot.attachments[attachment.owner, default: []].append(attachment.policyArn) }
        keyUsage.load(lastUses)
        state.replace(snapshot)
    }

    /// Runs one write: `body` checks IAM's rules against the current snapshot, writes the store, and updates the
    /// snapshot it was given, which is published when `body` returns.
    func mutate<T>(_ body: (inout IdentitySnapshot) async throws -> T) async throws -> T {
        try await writes.run {
            do {
                return try await attempt(body)
            } catch let error as IAMError where sharedStore && (error.code == "NoSuchEntity" || error.code == "EntityAlreadyExists") {
                // Another node's write may not have reached the snapshot yet: look at the store and try again.
                try await loadInTurn()
                return try await attempt(body)
            }
        }
    }

    private func attempt<T>(_ body: (inout IdentitySnapshot) async throws -> T) async throws -> T {
        var snapshot = state.snapshot
        let result: T
        do {
            result = try await body(&snapshot)
        } catch IdentityStoreError.alreadyExists(let what) {
            // The snapshot did not know it; the store did (another node made it a moment ago).
            throw IAMError.entityAlreadyExists("\(what.prefix(1).uppercased() + what.dropFirst()) already exists.")
        }
        state.replace(snapshot)
        return result
    }

    var now: Date {
        Date(timeIntervalSince1970: clock().timeIntervalSince1970.rounded(.down))
    }

    // MARK: ARNs and ids

    func arn(_ kind: EntityKind, path: String, name: String) -> String {
        "arn:aws:iam::\(accountId):\(kind.rawValue)\(path)\(name)"
    }

    func policyArn(path: String, name: String) -> String {
        "arn:aws:iam::\(accountId):policy\(path)\(name)"
    }

    /// `AIDA…`, `AROA…`, `AGPA…`, `ANPA…`: the prefix and 17 characters of [A-Z2-7], as IAM's unique ids.
    static func uniqueId(prefix: String, length: Int = 17) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }

    /// 40 characters of base64's alphabet, as AWS's secret access keys.
    static func secretAccessKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var generator = SystemRandomNumberGenerator()
        return String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }
}

// MARK: Lookups

extension IdentitySnapshot {
    /// IAM names are unique without regard to case, and found that way: the stored name `name` refers to.
    public func canonicalName<V>(_ name: String, in entities: [String: V]) -> String? {
        if entities[name] != nil { return name }
        let lower = name.lowercased()
        return entities.keys.first { $0.lowercased() == lower }
    }

    func user(_ name: String) throws(IAMError) -> IAMUser {
        guard let key = canonicalName(name, in: users), let user = users[key] else { throw .noSuch(.user, name) }
        return user
    }

    func group(_ name: String) throws(IAMError) -> IAMGroup {
        guard let key = canonicalName(name, in: groups), let group = groups[key] else { throw .noSuch(.group, name) }
        return group
    }

    func role(_ name: String) throws(IAMError) -> IAMRole {
        guard let key = canonicalName(name, in: roles), let role = roles[key] else { throw .noSuch(.role, name) }
        return role
    }

    /// The owner as stored, after checking that it exists.
    func existing(_ owner: PolicyOwner) throws(IAMError) -> PolicyOwner {
        switch owner {
        case .user(let name): .user(try user(name).name)
        case .group(let name): .group(try group(name).name)
        case .role(let name): .role(try role(name).name)
        }
    }

    func accessKeys(of userName: String) -> [AccessKey] {
        accessKeys.values.filter { $0.userName == userName }
            .sorted { $0.createDate != $1.createDate ? $0.createDate < $1.createDate : $0.accessKeyId < $1.accessKeyId }
    }

    /// Users, groups and roles a managed policy is attached to.
    public func attachmentCount(of arn: String) -> Int {
        attachments.values.reduce(0) { $0 + ($1.contains(arn) ? 1 : 0) }
    }

    /// Users and roles that have the policy as their permissions boundary.
    public func boundaryUsageCount(of arn: String) -> Int {
        users.values.count { $0.permissionsBoundary == arn } + roles.values.count { $0.permissionsBoundary == arn }
    }
}
