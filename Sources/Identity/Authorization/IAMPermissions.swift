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
        let iamAction = "iam:" + action
        let base = "arn:aws:iam::\(accountId):"
        func arn(_ kind: String, _ name: String?, path: String?) -> String {
            guard let name else { return "*" }
            return base + kind + (path ?? "/") + name
        }
        let resource: String
        if userActions.contains(action) {
            var name = form["UserName"]
            if name == nil, action == "GetUser" || action == "ListAccessKeys" || action == "CreateAccessKey" {
                // These act on the caller when no user is named.
                name = caller?.userName
            }
            resource = arn("user", name, path: name.flatMap { snapshot.users[$0]?.path } ?? form["Path"])
        } else if action == "GetAccessKeyLastUsed" {
            let owner = form["AccessKeyId"].flatMap { snapshot.accessKeys[$0]?.userName }
            resource = arn("user", owner, path: owner.flatMap { snapshot.users[$0]?.path })
        } else if groupActions.contains(action) {
            let name = form["GroupName"]
            resource = arn("group", name, path: name.flatMap { snapshot.groups[$0]?.path } ?? form["Path"])
        } else if roleActions.contains(action) {
            let name = form["RoleName"]
            resource = arn("role", name, path: name.flatMap { snapshot.roles[$0]?.path } ?? form["Path"])
        } else if action == "CreatePolicy" {
            resource = arn("policy", form["PolicyName"], path: form["Path"])
        } else if policyActions.contains(action) {
            resource = form["PolicyArn"] ?? "*"
        } else {
            resource = "*"
        }
        var permissions = [RequiredPermission(action: iamAction, resource: resource)]
        // Attaching a managed policy is also an action on that policy's attachments, checked by its ARN condition.
        if action.hasPrefix("Attach") || action.hasPrefix("Detach"), let policyArn = form["PolicyArn"] {
            permissions[0].context["iam:PolicyARN"] = [policyArn]
        }
        return permissions
    }
}
