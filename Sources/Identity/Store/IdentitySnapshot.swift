/// Everything IAM holds, read in one transaction: the authorizer answers from it without touching the store.
/// IAM data is small (users, roles, policies of one account), and every IAM write replaces the snapshot.
public struct IdentitySnapshot: Sendable {
    public var users: [String: IAMUser]
    /// By access key id; secrets are clear here (unsealed when the snapshot was read).
    public var accessKeys: [String: AccessKey]
    public var groups: [String: IAMGroup]
    /// Group name → names of its users.
    public var groupMembers: [String: [String]]
    public var roles: [String: IAMRole]
    /// By ARN.
    public var managedPolicies: [String: ManagedPolicy]
    /// Owner → policy name → document.
    public var inlinePolicies: [PolicyOwner: [String: String]]
    /// Owner → ARNs of attached managed policies, in attachment order.
    public var attachments: [PolicyOwner: [String]]

    public init(users: [String: IAMUser] = [:], accessKeys: [String: AccessKey] = [:], groups: [String: IAMGroup] = [:],
                groupMembers: [String: [String]] = [:], roles: [String: IAMRole] = [:],
                managedPolicies: [String: ManagedPolicy] = [:], inlinePolicies: [PolicyOwner: [String: String]] = [:],
                attachments: [PolicyOwner: [String]] = [:]) {
        self.users = users
        self.accessKeys = accessKeys
        self.groups = groups
        self.groupMembers = groupMembers
        self.roles = roles
        self.managedPolicies = managedPolicies
        self.inlinePolicies = inlinePolicies
        self.attachments = attachments
    }

    /// Names of the groups `user` belongs to.
    public func groups(of user: String) -> [String] {
        groupMembers.filter { $0.value.contains(user) }.map(\.key).sorted()
    }

    /// Every identity-policy document that applies to `owner`: its inline policies and attached managed
    /// policies' default versions, and for a user, those of its groups.
    public func policyDocuments(for owner: PolicyOwner) -> [String] {
        var owners = [owner]
        if case .user(let name) = owner { owners += groups(of: name).map(PolicyOwner.group) }
        var documents: [String] = []
        for o in owners {
            if let inline = inlinePolicies[o] {
                documents += inline.keys.sorted().compactMap { inline[$0] }
            }
            for arn in attachments[o] ?? [] {
                if let document = managedPolicies[arn]?.defaultDocument { documents.append(document) }
            }
        }
        return documents
    }
}
