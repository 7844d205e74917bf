import Foundation

extension IAMDirectory {
    /// PutUserPolicy, PutGroupPolicy, PutRolePolicy: creates or replaces an inline policy. All inline policies of
    /// one entity together fit in its quota (user 2,048, group 5,120, role 10,240 characters, whitespace not counted).
    public func putInlinePolicy(of owner: PolicyOwner, name: String?, document: String?) async throws {
        let owner = try Self.validated(owner)
        let policyName = try IAMValidation.name(name, member: "policyName", max: 128)
        let document = try IAMValidation.policyText(document)
        try Self.parsePolicy(document, kind: .identity)
        try await mutate { snapshot in
            let owner = try snapshot.existing(owner)
            let others = (snapshot.inlinePolicies[owner] ?? [:]).filter { $0.key != policyName }
            let total = others.values.reduce(IAMValidation.policySize(document)) { $0 + IAMValidation.policySize($1) }
            let quota = IAMValidation.inlinePolicyQuota(of: owner)
            if total > quota {
                throw IAMError.limitExceeded("Maximum policy size of \(quota) bytes exceeded for \(owner.kind) \(owner.name)")
            }
            try await store.putInlinePolicy(policyName, document: document, of: owner)
            snapshot.inlinePolicies[owner, default: [:]][policyName] = document
        }
    }

    /// GetUserPolicy, GetGroupPolicy, GetRolePolicy: the owner's stored name and the document as it was put.
    public func inlinePolicy(of owner: PolicyOwner, name: String?) throws(IAMError) -> (owner: PolicyOwner, document: String) {
        let owner = try Self.validated(owner)
        let policyName = try IAMValidation.name(name, member: "policyName", max: 128)
        let snapshot = state.snapshot
        let existing = try snapshot.existing(owner)
        guard let document = snapshot.inlinePolicies[existing]?[policyName] else {
            throw .noSuchInlinePolicy(existing, policyName)
        }
        return (existing, document)
    }

    /// ListUserPolicies, ListGroupPolicies, ListRolePolicies: names in order.
    public func inlinePolicyNames(of owner: PolicyOwner) throws(IAMError) -> [String] {
        let owner = try Self.validated(owner)
        let snapshot = state.snapshot
        let existing = try snapshot.existing(owner)
        return (snapshot.inlinePolicies[existing] ?? [:]).keys.sorted()
    }

    /// DeleteUserPolicy, DeleteGroupPolicy, DeleteRolePolicy.
    public func deleteInlinePolicy(of owner: PolicyOwner, name: String?) async throws {
        let owner = try Self.validated(owner)
        let policyName = try IAMValidation.name(name, member: "policyName", max: 128)
        try await mutate { snapshot in
            let owner = try snapshot.existing(owner)
            guard snapshot.inlinePolicies[owner]?[policyName] != nil else { throw IAMError.noSuchInlinePolicy(owner, policyName) }
            try await store.deleteInlinePolicy(policyName, of: owner)
            snapshot.inlinePolicies[owner]?[policyName] = nil
            if snapshot.inlinePolicies[owner]?.isEmpty == true { snapshot.inlinePolicies[owner] = nil }
        }
    }

    /// The owner's name checked as its operations' model checks it (`userName`, `groupName`, `roleName`).
    static func validated(_ owner: PolicyOwner) throws(IAMError) -> PolicyOwner {
        switch owner {
        case .user(let name): .user(try IAMValidation.name(name, member: "userName", max: 128))
        case .group(let name): .group(try IAMValidation.name(name, member: "groupName", max: 128))
        case .role(let name): .role(try IAMValidation.name(name, member: "roleName", max: 64))
        }
    }
}
