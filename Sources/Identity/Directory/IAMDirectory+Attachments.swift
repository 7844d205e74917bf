import Foundation

/// The users, groups and roles a managed policy is attached to (ListEntitiesForPolicy).
public struct PolicyEntities: Sendable {
    public var groups: [IAMGroup]
    public var users: [IAMUser]
    public var roles: [IAMRole]
}

/// ListEntitiesForPolicy's `EntityFilter`.
public enum PolicyEntityFilter: String, Sendable {
    case user = "User", role = "Role", group = "Group", localManagedPolicy = "LocalManagedPolicy", awsManagedPolicy = "AWSManagedPolicy"
}

extension IAMDirectory {
    /// AttachUserPolicy, AttachGroupPolicy, AttachRolePolicy: at most 10 managed policies per entity; attaching
    /// one again changes nothing.
    public func attachPolicy(_ arn: String?, to owner: PolicyOwner) async throws {
        let owner = try Self.validated(owner)
        let arn = try Self.policyArnInput(arn)
        try await mutate { snapshot in
            let owner = try snapshot.existing(owner)
            guard snapshot.managedPolicies[arn] != nil else { throw IAMError.policyNotAttachable(arn) }
            let attached = snapshot.attachments[owner] ?? []
            guard !attached.contains(arn) else { return }
            if attached.count >= IAMValidation.attachedPoliciesPerEntity {
                throw IAMError.quota("PoliciesPer\(EntityKind(owner).title)", IAMValidation.attachedPoliciesPerEntity)
            }
            try await store.attachPolicy(arn, to: owner)
            snapshot.attachments[owner] = attached + [arn]
        }
    }

    /// DetachUserPolicy, DetachGroupPolicy, DetachRolePolicy.
    public func detachPolicy(_ arn: String?, from owner: PolicyOwner) async throws {
        let owner = try Self.validated(owner)
        let arn = try Self.policyArnInput(arn)
        try await mutate { snapshot in
            let owner = try snapshot.existing(owner)
            let attached = snapshot.attachments[owner] ?? []
            guard attached.contains(arn) else { throw IAMError.policyNotFound(arn) }
            try await store.detachPolicy(arn, from: owner)
            let rest = attached.filter { $0 != arn }
            snapshot.attachments[owner] = rest.isEmpty ? nil : rest
        }
    }

    /// ListAttachedUserPolicies, ListAttachedGroupPolicies, ListAttachedRolePolicies: in attachment order.
    public func attachedPolicies(of owner: PolicyOwner, pathPrefix: String? = nil) throws(IAMError) -> [ManagedPolicy] {
        let owner = try Self.validated(owner)
        let prefix = try IAMValidation.policyPath(pathPrefix, member: "pathPrefix")
        let snapshot = state.snapshot
        let existing = try snapshot.existing(owner)
        return (snapshot.attachments[existing] ?? []).compactMap { snapshot.managedPolicies[$0] }.filter { $0.path.hasPrefix(prefix) }
    }

    /// ListEntitiesForPolicy: each kind by name; `pathPrefix` filters the entities' paths. With `usage`
    /// `.permissionsBoundary`, the users and roles that have the policy as their boundary instead of attached.
    public func entities(forPolicy arn: String?, filter: PolicyEntityFilter? = nil, pathPrefix: String? = nil,
                         usage: PolicyUsage? = nil) throws(IAMError) -> PolicyEntities {
        let arn = try Self.policyArnInput(arn)
        let prefix = try IAMValidation.path(pathPrefix, member: "pathPrefix")
        let snapshot = state.snapshot
        let policy = try Self.policy(arn, in: snapshot)
        if filter == .awsManagedPolicy && !policy.isAWSManaged || filter == .localManagedPolicy && policy.isAWSManaged {
            return PolicyEntities(groups: [], users: [], roles: [])
        }
        let owners: [PolicyOwner] = if usage == .permissionsBoundary {
            snapshot.users.values.filter { $0.permissionsBoundary == arn }.map { .user($0.name) }
                + snapshot.roles.values.filter { $0.permissionsBoundary == arn }.map { .role($0.name) }
        } else {
            snapshot.attachments.filter { $0.value.contains(arn) }.map(\.key)
        }
        func wanted(_ kind: PolicyEntityFilter) -> Bool {
            filter == nil || filter == kind || filter == .awsManagedPolicy || filter == .localManagedPolicy
        }
        var entities = PolicyEntities(groups: [], users: [], roles: [])
        for owner in owners {
            switch owner {
            case .user(let name):
                if wanted(.user), let user = snapshot.users[name], user.path.hasPrefix(prefix) { entities.users.append(user) }
            case .group(let name):
                if wanted(.group), let group = snapshot.groups[name], group.path.hasPrefix(prefix) { entities.groups.append(group) }
            case .role(let name):
                if wanted(.role), let role = snapshot.roles[name], role.path.hasPrefix(prefix) { entities.roles.append(role) }
            }
        }
        entities.users.sort(by: Self.byName(\.name))
        entities.groups.sort(by: Self.byName(\.name))
        entities.roles.sort(by: Self.byName(\.name))
        return entities
    }
}

extension EntityKind {
    init(_ owner: PolicyOwner) {
        switch owner {
        case .user: self = .user
        case .group: self = .group
        case .role: self = .role
        }
    }
}
