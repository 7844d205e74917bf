import AWSProtocol
import Identity

/// CreateUser, GetUser, ListUsers, DeleteUser, UpdateUser, TagUser, UntagUser, ListUserTags.
extension IAMService {
    static let userOperations: [String: Operation] = [
        "CreateUser": { s, r in try await s.createUser(r) },
        "GetUser": { s, r in try s.getUser(r) },
        "ListUsers": { s, r in try s.listUsers(r) },
        "DeleteUser": { s, r in try await s.directory.deleteUser(named: r["UserName"]); return nil },
        "UpdateUser": { s, r in
            try await s.directory.updateUser(named: r["UserName"], newName: r["NewUserName"], newPath: r["NewPath"])
            return nil
        },
        "TagUser": { s, r in try await s.directory.tagUser(named: r["UserName"], tags: r.tags()); return nil },
        "UntagUser": { s, r in try await s.directory.untagUser(named: r["UserName"], keys: try r.requiredList("TagKeys")); return nil },
        "ListUserTags": { s, r in
            try paged(try s.directory.user(named: r["UserName"]).tags, r, listName: "Tags", EntityShapes.tagMember)
        },
    ]

    func createUser(_ r: IAMRequest) async throws -> [XMLNode] {
        let user = try await directory.createUser(name: r["UserName"], path: r["Path"], permissionsBoundary: r["PermissionsBoundary"],
                                                  tags: r.tags())
        return [EntityShapes.user(user)]
    }

    /// Without `UserName`: the calling user, or the root for root credentials.
    func getUser(_ r: IAMRequest) throws -> [XMLNode] {
        if r["UserName"] == nil, r.callerUserName == nil {
            if r.callerIsNonUser { throw IAMError.validation("Must specify userName when calling with non-User credentials") }
            return [EntityShapes.rootUser(accountId: directory.accountId, createDate: rootCreateDate)]
        }
        return [EntityShapes.user(try directory.user(named: try r.userNameOrCaller()))]
    }

    func listUsers(_ r: IAMRequest) throws -> [XMLNode] {
        try Self.paged(try directory.users(pathPrefix: r["PathPrefix"]), r, listName: "Users") {
            EntityShapes.user($0, detail: false, name: "member")
        }
    }
}
