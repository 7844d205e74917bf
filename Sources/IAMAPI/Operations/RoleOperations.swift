import AWSProtocol
import Identity

/// CreateRole, GetRole, ListRoles, DeleteRole, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy,
/// TagRole, UntagRole, ListRoleTags.
extension IAMService {
    static let roleOperations: [String: Operation] = [
        "CreateRole": { s, r in
            let role = try await s.directory.createRole(
                name: r["RoleName"], path: r["Path"], assumeRolePolicyDocument: r["AssumeRolePolicyDocument"],
                description: r["Description"], maxSessionDuration: try r.int("MaxSessionDuration"),
                permissionsBoundary: r["PermissionsBoundary"], tags: r.tags())
            return [EntityShapes.role(role)]
        },
        "GetRole": { s, r in [EntityShapes.role(try s.directory.role(named: r["RoleName"]))] },
        "ListRoles": { s, r in
            try paged(try s.directory.roles(pathPrefix: r["PathPrefix"]), r, listName: "Roles") {
                EntityShapes.role($0, detail: false, name: "member")
            }
        },
        "DeleteRole": { s, r in try await s.directory.deleteRole(named: r["RoleName"]); return nil },
        "UpdateRole": { s, r in
            try await s.directory.updateRole(named: r["RoleName"], description: r["Description"],
                                             maxSessionDuration: try r.int("MaxSessionDuration"))
            return []
        },
        "UpdateRoleDescription": { s, r in
            [EntityShapes.role(try await s.directory.updateRoleDescription(named: r["RoleName"], description: r["Description"]))]
        },
        "UpdateAssumeRolePolicy": { s, r in
            try await s.directory.updateAssumeRolePolicy(roleName: r["RoleName"], document: r["PolicyDocument"])
            return nil
        },
        "TagRole": { s, r in try await s.directory.tagRole(named: r["RoleName"], tags: r.tags()); return nil },
        "UntagRole": { s, r in try await s.directory.untagRole(named: r["RoleName"], keys: try r.requiredList("TagKeys")); return nil },
        "ListRoleTags": { s, r in
            try paged(try s.directory.role(named: r["RoleName"]).tags, r, listName: "Tags", EntityShapes.tagMember)
        },
    ]
}
