import AWSProtocol
import Identity

/// Attach, Detach and ListAttached of User, Group and Role managed policies, and ListEntitiesForPolicy.
extension IAMService {
    static let attachmentOperations: [String: Operation] = {
        var operations: [String: Operation] = [
            "ListEntitiesForPolicy": { s, r in try s.listEntitiesForPolicy(r) },
        ]
        for kind in ["User", "Group", "Role"] {
            operations["Attach\(kind)Policy"] = { s, r in
                try await s.directory.attachPolicy(r["PolicyArn"], to: owner(kind, r))
                return nil
            }
            operations["Detach\(kind)Policy"] = { s, r in
                try await s.directory.detachPolicy(r["PolicyArn"], from: owner(kind, r))
                return nil
            }
            operations["ListAttached\(kind)Policies"] = { s, r in
                let policies = try s.directory.attachedPolicies(of: owner(kind, r), pathPrefix: r["PathPrefix"])
                return try paged(policies, r, listName: "AttachedPolicies", PolicyShapes.attached)
            }
        }
        return operations
    }()

    /// Groups, users and roles the policy is attached to, paged together in that order.
    func listEntitiesForPolicy(_ r: IAMRequest) throws -> [XMLNode] {
        var filter: PolicyEntityFilter?
        if let text = r["EntityFilter"] {
            guard let value = PolicyEntityFilter(rawValue: text) else {
                throw IAMError.validation("1 validation error detected: Value '\(text)' at 'entityFilter' failed to satisfy constraint: Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]")
            }
            filter = value
        }
        let entities = try directory.entities(forPolicy: r["PolicyArn"], filter: filter, pathPrefix: r["PathPrefix"],
                                              usage: try r.policyUsage())
        let all = entities.groups.map { XMLNode("member", [XMLNode("GroupName", text: $0.name), XMLNode("GroupId", text: $0.groupId)]) }
            .map { ("PolicyGroups", $0) }
            + entities.users.map { ("PolicyUsers", XMLNode("member", [XMLNode("UserName", text: $0.name), XMLNode("UserId", text: $0.userId)])) }
            + entities.roles.map { ("PolicyRoles", XMLNode("member", [XMLNode("RoleName", text: $0.name), XMLNode("RoleId", text: $0.roleId)])) }
        let page = try r.paging().page(all)
        return ["PolicyGroups", "PolicyUsers", "PolicyRoles"].map { list in
            XMLNode(list, page.items.filter { $0.0 == list }.map(\.1))
        } + page.truncation
    }
}
