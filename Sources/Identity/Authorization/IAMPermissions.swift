import AWSProtocol

/// The permission each IAM operation needs: `iam:<Action>` on the user, group, role or policy it acts on, named by
/// its ARN with its path (as IAM's authorization reference lists them); list operations act on `*`.
public enum IAMPermissions {
    static let userActions: Set<String> = [
        "CreateUser", "GetUser", "DeleteUser", "UpdateUser", "TagUser", "UntagUser", "ListUserTags",
        "CreateAccessKey", "ListAccessKeys", "DeleteAccessKey", "UpdateAccessKey",
        "PutUserPolicy", "GetUserPolicy", "ListUserPolicies", "DeleteUserPolicy",
        "AttachUserPolicy", "DetachUserPolicy", "ListAttachedUserPolicies", "ListGroupsForUser",
    ]
    static let groupActions: Set<String> = [
        "CreateGroup", "GetGroup", "DeleteGroup", "UpdateGroup", "AddUserToGroup", "RemoveUserFromGroup",
        "PutGroupPolicy", "GetGroupPolicy", "ListGroupPolicies", "DeleteGroupPolicy",
        "AttachGroupPolicy", "DetachGroupPolicy", "ListAttachedGroupPolicies",
    ]
    static let roleActions: Set<String> = [
        "CreateRole", "GetRole", "DeleteRole", "UpdateRole", "UpdateRoleDescription", "UpdateAssumeRolePolicy",
        "TagRole", "UntagRole", "ListRoleTags", "PutRolePolicy", "GetRolePolicy", "ListRolePolicies", "DeleteRolePolicy",
        "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies",
    ]
    static let policyActions: Set<String> = [
        "GetPolicy", "DeletePolicy", "CreatePolicyVersion", "GetPolicyVersion", "ListPolicyVersions", "DeletePolicyVersion",
        "SetDefaultPolicyVersion", "TagPolicy", "UntagPolicy", "ListPolicyTags", "ListEntitiesForPolicy",
    ]

    public static func required(action: String, form: QueryForm, caller: CallerIdentity?, snapshot: IdentitySnapshot,
                                accountId: String) -> [RequiredPermission] {
        let base = "arn:aws:iam::\(accountId):"
        let creating = action.hasPrefix("Create")
        /// The ARN of a named entity: the stored one (names match without case, as the directory finds them), or
        /// for an entity not (yet) there, the name as given with the request's `Path` only when creating it.
        func arn<V>(_ kind: String, _ name: String?, in entities: [String: V], stored: (V) -> String) -> String {
            guard let name else { return "*" }
            if let key = snapshot.canonicalName(name, in: entities), let entity = entities[key] { return stored(entity) }
            return base + kind + (creating ? form["Path"] ?? "/" : "/") + name
        }
        let resource: String
        if userActions.contains(action) || action == "GetAccessKeyLastUsed" {
            var name = form["UserName"]
            if name == nil, let keyId = form["AccessKeyId"] {
                // Key operations without a user act on the key's owner.
                name = snapshot.accessKeys[keyId]?.userName
            }
            if name == nil, userActions.contains(action) {
                // These act on the caller when no user is named.
                name = caller?.userName
            }
            resource = arn("user", name, in: snapshot.users, stored: \.arn)
        } else if groupActions.contains(action) {
            resource = arn("group", form["GroupName"], in: snapshot.groups, stored: \.arn)
        } else if roleActions.contains(action) {
            resource = arn("role", form["RoleName"], in: snapshot.roles, stored: \.arn)
        } else if action == "CreatePolicy" {
            resource = form["PolicyName"].map { base + "policy" + (form["Path"] ?? "/") + $0 } ?? "*"
        } else if policyActions.contains(action) {
            resource = form["PolicyArn"] ?? "*"
        } else {
            resource = "*"
        }
        var permission = RequiredPermission(action: "iam:" + action, resource: resource)
        // Attaching a managed policy is checked with its ARN as a condition key, as IAM does.
        if action.hasPrefix("Attach") || action.hasPrefix("Detach"), let policyArn = form["PolicyArn"] {
            permission.context["iam:PolicyARN"] = [policyArn]
        }
        if let boundary = form["PermissionsBoundary"] {
            permission.context["iam:PermissionsBoundary"] = [boundary]
        }
        return [permission]
    }
}
