import Foundation

/// Which managed policies ListPolicies answers with.
public enum PolicyScope: String, Sendable {
    case all = "All", aws = "AWS", local = "Local"
}

/// How a managed policy is used: granting permissions (attached), or bounding them (a permissions boundary).
public enum PolicyUsage: String, Sendable {
    case permissionsPolicy = "PermissionsPolicy", permissionsBoundary = "PermissionsBoundary"
}

extension IAMDirectory {
    /// CreatePolicy: version `v1`, the default; at most 6,144 characters (whitespace not counted).
    public func createPolicy(name: String?, path: String? = nil, document: String?, description: String? = nil,
                             tags: [IAMTag] = []) async throws -> ManagedPolicy {
        let name = try IAMValidation.name(name, member: "policyName", max: 128)
        let path = try IAMValidation.policyPath(path)
        let document = try Self.managedPolicyDocument(document)
        let description = try IAMValidation.policyDescription(description)
        try IAMValidation.tags(tags)
        return try await mutate { snapshot in
            let lower = name.lowercased()
            if snapshot.managedPolicies.values.contains(where: { !$0.isAWSManaged && $0.name.lowercased() == lower }) {
                throw IAMError.entityAlreadyExists("A policy called \(name) already exists. Duplicate names are not allowed.")
            }
            let created = now
            let policy = ManagedPolicy(name: name, path: path, policyId: Self.uniqueId(prefix: "ANPA"),
                                       arn: policyArn(path: path, name: name), description: description, createDate: created,
                                       updateDate: created, defaultVersionId: "v1",
                                       versions: [PolicyVersion(versionId: "v1", document: document, createDate: created)],
                                       tags: tags)
            try await store.insertManagedPolicy(policy)
            snapshot.managedPolicies[policy.arn] = policy
            return policy
        }
    }

    /// GetPolicy, for the account's policies and AWS's.
    public func policy(arn: String?) throws(IAMError) -> ManagedPolicy {
        try Self.policy(try Self.policyArnInput(arn), in: state.snapshot)
    }

    /// ListPolicies: by name; `onlyAttached` keeps those attached to a user, group or role; `usage` of
    /// `.permissionsBoundary` keeps those that are some user's or role's permissions boundary.
    public func policies(scope: PolicyScope = .all, onlyAttached: Bool = false, pathPrefix: String? = nil,
                         usage: PolicyUsage? = nil) throws(IAMError) -> [ManagedPolicy] {
        let prefix = try IAMValidation.policyPath(pathPrefix, member: "pathPrefix")
        let snapshot = state.snapshot
        return snapshot.managedPolicies.values.filter { policy in
            switch scope {
            case .all: break
            case .aws: guard policy.isAWSManaged else { return false }
            case .local: guard !policy.isAWSManaged else { return false }
            }
            guard policy.path.hasPrefix(prefix) else { return false }
            if usage == .permissionsBoundary { return snapshot.boundaryUsageCount(of: policy.arn) > 0 }
            return !onlyAttached || snapshot.attachmentCount(of: policy.arn) > 0
        }.sorted(by: Self.byName(\.name))
    }

    /// DeletePolicy: only a policy attached to nothing and without versions besides the default.
    public func deletePolicy(arn: String?) async throws {
        let arn = try Self.policyArnInput(arn)
        try await mutate { snapshot in
            let policy = try Self.ownPolicy(arn, in: snapshot)
            if snapshot.attachmentCount(of: arn) > 0 || snapshot.boundaryUsageCount(of: arn) > 0 {
                throw IAMError.deleteConflict("Cannot delete a policy attached to entities.")
            }
            if policy.versions.count > 1 {
                throw IAMError.deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
            }
            try await store.deleteManagedPolicy(arn: arn)
            snapshot.managedPolicies[arn] = nil
        }
    }

    /// TagPolicy.
    public func tagPolicy(arn: String?, tags: [IAMTag]) async throws {
        let arn = try Self.policyArnInput(arn)
        try IAMValidation.tags(tags)
        try await replacePolicy(arn) { policy throws(IAMError) in policy.tags = try Self.merging(tags, into: policy.tags) }
    }

    /// UntagPolicy.
    public func untagPolicy(arn: String?, keys: [String]) async throws {
        let arn = try Self.policyArnInput(arn)
        try Self.validateTagKeys(keys)
        try await replacePolicy(arn) { $0.tags = Self.removing(keys, from: $0.tags) }
    }

    /// CreatePolicyVersion: at most five versions; the new one becomes the default when asked.
    public func createPolicyVersion(arn: String?, document: String?, setAsDefault: Bool = false) async throws -> PolicyVersion {
        let arn = try Self.policyArnInput(arn)
        let document = try Self.managedPolicyDocument(document)
        let created = now
        let policy = try await replacePolicy(arn) { policy throws(IAMError) in
            if policy.versions.count >= IAMValidation.versionsPerPolicy {
                throw .limitExceeded("A managed policy can have up to \(IAMValidation.versionsPerPolicy) versions. Before you create a new version, you must delete an existing version.")
            }
            let version = PolicyVersion(versionId: "v\(policy.nextVersionNumber)", document: document, createDate: created)
            policy.versions.append(version)
            policy.nextVersionNumber += 1
            if setAsDefault {
                policy.defaultVersionId = version.versionId
                policy.updateDate = created
            }
        }
        return policy.versions[policy.versions.count - 1]
    }

    /// GetPolicyVersion.
    public func policyVersion(arn: String?, versionId: String?) throws(IAMError) -> (version: PolicyVersion, isDefault: Bool) {
        let arn = try Self.policyArnInput(arn)
        let versionId = try IAMValidation.versionId(versionId)
        let policy = try Self.policy(arn, in: state.snapshot)
        guard let version = policy.versions.first(where: { $0.versionId == versionId }) else {
            throw .noSuchPolicyVersion(arn, versionId)
        }
        return (version, version.versionId == policy.defaultVersionId)
    }

    /// ListPolicyVersions: newest first.
    public func policyVersions(arn: String?) throws(IAMError) -> (versions: [PolicyVersion], defaultVersionId: String) {
        let policy = try Self.policy(try Self.policyArnInput(arn), in: state.snapshot)
        return (policy.versions.sorted { $0.createDate != $1.createDate ? $0.createDate > $1.createDate : Self.number($0) > Self.number($1) },
                policy.defaultVersionId)
    }

    /// DeletePolicyVersion: any version but the default.
    public func deletePolicyVersion(arn: String?, versionId: String?) async throws {
        let arn = try Self.policyArnInput(arn)
        let versionId = try IAMValidation.versionId(versionId)
        try await replacePolicy(arn) { policy throws(IAMError) in
            guard policy.versions.contains(where: { $0.versionId == versionId }) else { throw .noSuchPolicyVersion(arn, versionId) }
            if policy.defaultVersionId == versionId { throw .deleteConflict("Cannot delete the default version of a policy.") }
            policy.versions.removeAll { $0.versionId == versionId }
        }
    }

    /// SetDefaultPolicyVersion.
    public func setDefaultPolicyVersion(arn: String?, versionId: String?) async throws {
        let arn = try Self.policyArnInput(arn)
        let versionId = try IAMValidation.versionId(versionId)
        let changed = now
        try await replacePolicy(arn) { policy throws(IAMError) in
            guard policy.versions.contains(where: { $0.versionId == versionId }) else { throw .noSuchPolicyVersion(arn, versionId) }
            policy.defaultVersionId = versionId
            policy.updateDate = changed
        }
    }

    // MARK: Helpers

    @discardableResult
    func replacePolicy(_ arn: String, _ change: (inout ManagedPolicy) throws(IAMError) -> Void) async throws -> ManagedPolicy {
        try await mutate { snapshot in
            var policy = try Self.ownPolicy(arn, in: snapshot)
            try change(&policy)
            try await store.replaceManagedPolicy(policy)
            snapshot.managedPolicies[arn] = policy
            return policy
        }
    }

    static func policyArnInput(_ arn: String?) throws(IAMError) -> String {
        let arn = try IAMValidation.required(arn, "policyArn")
        try checkArn(arn)
        return arn
    }

    static func policy(_ arn: String, in snapshot: IdentitySnapshot) throws(IAMError) -> ManagedPolicy {
        guard let policy = snapshot.managedPolicies[arn] else { throw .policyNotFound(arn) }
        return policy
    }

    /// A policy the account may change: its own.
    static func ownPolicy(_ arn: String, in snapshot: IdentitySnapshot) throws(IAMError) -> ManagedPolicy {
        let policy = try policy(arn, in: snapshot)
        if policy.isAWSManaged { throw .awsManaged(arn) }
        return policy
    }

    static func managedPolicyDocument(_ document: String?) throws(IAMError) -> String {
        let document = try IAMValidation.policyText(document)
        try parsePolicy(document, kind: .identity)
        if IAMValidation.policySize(document) > IAMValidation.managedPolicySize {
            throw IAMError.quota("PolicySize", IAMValidation.managedPolicySize)
        }
        return document
    }

    static func number(_ version: PolicyVersion) -> Int {
        Int(version.versionId.dropFirst().prefix { $0 != "." }) ?? 0
    }
}
