import AWSProtocol
import Identity

/// CreateGroup, GetGroup, ListGroups, DeleteGroup, UpdateGroup, AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser.
extension IAMService {
    static let groupOperations: [String: Operation] = [
        "CreateGroup": { s, r in
            [EntityShapes.group(try await s.directory.createGroup(name: r["GroupName"], path: r["Path"]))]
        },
        "GetGroup": { s, r in
            let (group, users) = try s.directory.group(named: r["GroupName"])
            return [EntityShapes.group(group)] + (try paged(users, r, listName: "Users") { EntityShapes.user($0, detail: false, name: "member") })
        },
        "ListGroups": { s, r in
            try paged(try s.directory.groups(pathPrefix: r["PathPrefix"]), r, listName: "Groups") { EntityShapes.group($0, name: "member") }
        },
        "DeleteGroup": { s, r in try await s.directory.deleteGroup(named: r["GroupName"]); return nil },
        "UpdateGroup": { s, r in
            try await s.directory.updateGroup(named: r["GroupName"], newName: r["NewGroupName"], newPath: r["NewPath"])
            return nil
        },
        "AddUserToGroup": { s, r in try await s.directory.addUser(r["UserName"], toGroup: r["GroupName"]); return nil },
        "RemoveUserFromGroup": { s, r in try await s.directory.removeUser(r["UserName"], fromGroup: r["GroupName"]); return nil },
        "ListGroupsForUser": { s, r in
            try paged(try s.directory.groups(ofUser: r["UserName"]), r, listName: "Groups") { EntityShapes.group($0, name: "member") }
        },
    ]
}
