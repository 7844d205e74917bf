import AWSProtocol
import Identity

/// GetAccountAuthorizationDetails: every user, group, role and managed policy with the policies that apply to it,
/// from one snapshot, paged together in that order. AWS managed policies are listed when something uses them.
extension IAMService {
    static let accountOperations: [String: Operation] = [
        "GetAccountAuthorizationDetails": { s, r in try s.accountAuthorizationDetails(r) },
    ]

    enum DetailKind: String, CaseIterable {
        case user = "User", group = "Group", role = "Role", local = "LocalManagedPolicy", aws = "AWSManagedPolicy"
    }

    func accountAuthorizationDetails(_ r: IAMRequest) throws -> [XMLNode] {
        var kinds = Set(DetailKind.allCases)
        let filter = r.form.list("Filter")
        if !filter.isEmpty {
            kinds = []
            for (index, text) in filter.enumerated() {
                guard let kind = DetailKind(rawValue: text) else {
                    throw IAMError.validation("1 validation error detected: Value '\(text)' at 'filter.\(index + 1).member' failed to satisfy constraint: Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]")
                }
                kinds.insert(kind)
            }
        }
        let snapshot = directory.state.snapshot
        var entries: [(list: String, node: XMLNode)] = []
        if kinds.contains(.user) {
            entries += snapshot.users.values.sorted(by: IAMDirectory.byName(\.name)).map { ("UserDetailList", Self.userDetail($0, snapshot)) }
        }
        if kinds.contains(.group) {
            entries += snapshot.groups.values.sorted(by: IAMDirectory.byName(\.name)).map { ("GroupDetailList", Self.groupDetail($0, snapshot)) }
        }
        if kinds.contains(.role) {
            entries += snapshot.roles.values.sorted(by: IAMDirectory.byName(\.name)).map { ("RoleDetailList", Self.roleDetail($0, snapshot)) }
        }
        let policies = snapshot.managedPolicies.values.filter { policy in
            policy.isAWSManaged
                ? kinds.contains(.aws) && (snapshot.attachmentCount(of: policy.arn) > 0 || snapshot.boundaryUsageCount(of: policy.arn) > 0)
                : kinds.contains(.local)
        }.sorted(by: IAMDirectory.byName(\.name))
        entries += policies.map { ("Policies", Self.policyDetail($0, snapshot)) }

        let page = try r.paging().page(entries)
        return ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"].map { list in
            XMLNode(list, page.items.filter { $0.list == list }.map(\.node))
        } + page.truncation
    }

    static func userDetail(_ user: IAMUser, _ snapshot: IdentitySnapshot) -> XMLNode {
        var children = EntityShapes.user(user, detail: false).children
        children.append(PolicyShapes.inlineDetails("UserPolicyList", snapshot.inlinePolicies[.user(user.name)]))
        children.append(XMLNode.list("GroupList", snapshot.groups(of: user.name).map { XMLNode("member", text: $0) }))
        children.append(PolicyShapes.attachedList(snapshot.attachments[.user(user.name)], in: snapshot))
        children += EntityShapes.boundary(user.permissionsBoundary)
        if !user.tags.isEmpty { children.append(EntityShapes.tags(user.tags)) }
        return XMLNode("member", children)
    }

    static func groupDetail(_ group: IAMGroup, _ snapshot: IdentitySnapshot) -> XMLNode {
        var children = EntityShapes.group(group).children
        children.append(PolicyShapes.inlineDetails("GroupPolicyList", snapshot.inlinePolicies[.group(group.name)]))
        children.append(PolicyShapes.attachedList(snapshot.attachments[.group(group.name)], in: snapshot))
        return XMLNode("member", children)
    }

    static func roleDetail(_ role: IAMRole, _ snapshot: IdentitySnapshot) -> XMLNode {
        var children = EntityShapes.roleIdentity(role)
        children.append(XMLNode("InstanceProfileList"))
        children.append(PolicyShapes.inlineDetails("RolePolicyList", snapshot.inlinePolicies[.role(role.name)]))
        children.append(PolicyShapes.attachedList(snapshot.attachments[.role(role.name)], in: snapshot))
        children += EntityShapes.boundary(role.permissionsBoundary)
        if !role.tags.isEmpty { children.append(EntityShapes.tags(role.tags)) }
        children.append(XMLNode("RoleLastUsed"))
        return XMLNode("member", children)
    }

    static func policyDetail(_ policy: ManagedPolicy, _ snapshot: IdentitySnapshot) -> XMLNode {
        var children = PolicyShapes.policy(policy, in: snapshot, detail: true).children.filter { $0.name != "Tags" }
        children.append(XMLNode.list("PolicyVersionList", policy.versions.map {
            PolicyShapes.version($0, isDefault: $0.versionId == policy.defaultVersionId, name: "member")
        }))
        return XMLNode("member", children)
    }
}
