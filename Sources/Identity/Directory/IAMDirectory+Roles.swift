import AccessPolicies
import Foundation

extension IAMDirectory {
    /// CreateRole: the trust policy must parse as one and fit in 2,048 characters (whitespace not counted).
    public func createRole(name: String?, path: String? = nil, assumeRolePolicyDocument: String?, description: String? = nil,
                           maxSessionDuration: Int? = nil, permissionsBoundary: String? = nil,
                           tags: [IAMTag] = []) async throws -> IAMRole {
        let name = try IAMValidation.name(name, member: "roleName", max: 64)
        let path = try IAMValidation.path(path)
        let trust = try Self.trustPolicy(assumeRolePolicyDocument, member: "assumeRolePolicyDocument")
        let description = try IAMValidation.roleDescription(description)
        let duration = try IAMValidation.maxSessionDuration(maxSessionDuration) ?? IAMValidation.minSessionDuration
        try IAMValidation.tags(tags)
        return try await mutate { snapshot in
            if snapshot.canonicalName(name, in: snapshot.roles) != nil { throw IAMError.exists(.role, name) }
            let boundary = try permissionsBoundary.map { a throws(IAMError) in try boundaryPolicy(a, in: snapshot) }
            let role = IAMRole(name: name, path: path, roleId: Self.uniqueId(prefix: "AROA"), arn: arn(.role, path: path, name: name),
                               createDate: now, assumeRolePolicyDocument: trust, description: description,
                               maxSessionDuration: duration, tags: tags, permissionsBoundary: boundary)
            try await store.insertRole(role)
            snapshot.roles[name] = role
            return role
        }
    }

    /// GetRole.
    public func role(named name: String?) throws(IAMError) -> IAMRole {
        let name = try IAMValidation.name(name, member: "roleName", max: 64)
        return try state.snapshot.role(name)
    }

    /// ListRoles.
    public func roles(pathPrefix: String? = nil) throws(IAMError) -> [IAMRole] {
        let prefix = try IAMValidation.pathPrefix(pathPrefix)
        return state.snapshot.roles.values.filter { $0.path.hasPrefix(prefix) }.sorted(by: Self.byName(\.name))
    }

    /// DeleteRole: only a role without policies.
    public func deleteRole(named name: String?) async throws {
        let name = try IAMValidation.name(name, member: "roleName", max: 64)
        try await mutate { snapshot in
            let role = try snapshot.role(name)
            if !(snapshot.attachments[.role(role.name)] ?? []).isEmpty {
                throw IAMError.deleteConflict("Cannot delete entity, must detach all policies first.")
            }
            if !(snapshot.inlinePolicies[.role(role.name)] ?? [:]).isEmpty {
                throw IAMError.deleteConflict("Cannot delete entity, must delete policies first.")
            }
            try await store.deleteRole(named: role.name)
            snapshot.roles[role.name] = nil
        }
    }

    /// UpdateRole: the description and/or the longest session AssumeRole may grant.
    public func updateRole(named name: String?, description: String?, maxSessionDuration: Int?) async throws {
        let name = try IAMValidation.name(name, member: "roleName", max: 64)
        let description = try IAMValidation.roleDescription(description)
        let duration = try IAMValidation.maxSessionDuration(maxSessionDuration)
        try await replaceRole(name) { role in
            if let description { role.description = description }
            if let duration { role.maxSessionDuration = duration }
        }
    }

    /// UpdateRoleDescription: answers the updated role.
    public func updateRoleDescription(named name: String?, description: String?) async throws -> IAMRole {
        let name = try IAMValidation.name(name, member: "roleName", max: 64)
        let description = try IAMValidation.roleDescription(try IAMValidation.required(description, "description"))
        return try await replaceRole(name) { $0.description = description }
    }

    /// UpdateAssumeRolePolicy: a new trust policy.
    public func updateAssumeRolePolicy(roleName: String?, document: String?) async throws {
        let name = try IAMValidation.name(roleName, member: "roleName", max: 64)
        let trust = try Self.trustPolicy(document, member: "policyDocument")
        try await replaceRole(name) { $0.assumeRolePolicyDocument = trust }
    }

    /// TagRole.
    public func tagRole(named name: String?, tags: [IAMTag]) async throws {
        let name = try IAMValidation.name(name, member: "roleName", max: 64)
        try IAMValidation.tags(tags)
        try await replaceRole(name) { role throws(IAMError) in role.tags = try Self.merging(tags, into: role.tags) }
    }

    /// UntagRole.
    public func untagRole(named name: String?, keys: [String]) async throws {
        let name = try IAMValidation.name(name, member: "roleName", max: 64)
        try Self.validateTagKeys(keys)
        try await replaceRole(name) { $0.tags = Self.removing(keys, from: $0.tags) }
    }

    @discardableResult
    func replaceRole(_ name: String, _ change: (inout IAMRole) throws(IAMError) -> Void) async throws -> IAMRole {
        try await mutate { snapshot in
            var role = try snapshot.role(name)
            try change(&role)
            try await store.replaceRole(role)
            snapshot.roles[role.name] = role
            return role
        }
    }

    /// A trust policy as CreateRole and UpdateAssumeRolePolicy take it.
    static func trustPolicy(_ document: String?, member: String) throws(IAMError) -> String {
        let document = try IAMValidation.policyText(document, member: member)
        try parsePolicy(document, kind: .trust)
        if IAMValidation.policySize(document) > IAMValidation.trustPolicySize {
            throw IAMError.quota("ACLSizePerRole", IAMValidation.trustPolicySize)
        }
        return document
    }

    /// Parses with IAM's grammar and checks; a document AWS would refuse is refused with AWS's reason.
    static func parsePolicy(_ document: String, kind: PolicyKind) throws(IAMError) {
        do {
            _ = try Policy(json: document, kind: kind)
        } catch {
            throw .malformedPolicyDocument(error.reason)
        }
    }
}
