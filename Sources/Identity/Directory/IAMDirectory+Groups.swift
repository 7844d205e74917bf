import Foundation

extension IAMDirectory {
    /// CreateGroup.
    public func createGroup(name: String?, path: String? = nil) async throws -> IAMGroup {
        let name = try IAMValidation.name(name, member: "groupName", max: 128)
        let path = try IAMValidation.path(path)
        return try await mutate { snapshot in
            if snapshot.canonicalName(name, in: snapshot.groups) != nil { throw IAMError.exists(.group, name) }
            let group = IAMGroup(name: name, path: path, groupId: Self.uniqueId(prefix: "AGPA"),
                                 arn: arn(.group, path: path, name: name), createDate: now)
            try await store.insertGroup(group)
            snapshot.groups[name] = group
            return group
        }
    }

    /// GetGroup: the group and its users, by name.
    public func group(named name: String?) throws(IAMError) -> (group: IAMGroup, users: [IAMUser]) {
        let name = try IAMValidation.name(name, member: "groupName", max: 128)
        let snapshot = state.snapshot
        let group = try snapshot.group(name)
        let users = (snapshot.groupMembers[group.name] ?? []).compactMap { snapshot.users[$0] }
        return (group, users.sorted(by: Self.byName(\.name)))
    }

    /// ListGroups.
    public func groups(pathPrefix: String? = nil) throws(IAMError) -> [IAMGroup] {
        let prefix = try IAMValidation.pathPrefix(pathPrefix)
        return state.snapshot.groups.values.filter { $0.path.hasPrefix(prefix) }.sorted(by: Self.byName(\.name))
    }

    /// ListGroupsForUser.
    public func groups(ofUser userName: String?) throws(IAMError) -> [IAMGroup] {
        let userName = try IAMValidation.name(userName, member: "userName", max: 128)
        let snapshot = state.snapshot
        let user = try snapshot.user(userName)
        return snapshot.groups(of: user.name).compactMap { snapshot.groups[$0] }.sorted(by: Self.byName(\.name))
    }

    /// DeleteGroup: only a group without users or policies.
    public func deleteGroup(named name: String?) async throws {
        let name = try IAMValidation.name(name, member: "groupName", max: 128)
        try await mutate { snapshot in
            let group = try snapshot.group(name)
            if !(snapshot.groupMembers[group.name] ?? []).isEmpty {
                throw IAMError.deleteConflict("Cannot delete entity, must remove users from group first.")
            }
            if !(snapshot.inlinePolicies[.group(group.name)] ?? [:]).isEmpty {
                throw IAMError.deleteConflict("Cannot delete entity, must delete policies first.")
            }
            if !(snapshot.attachments[.group(group.name)] ?? []).isEmpty {
                throw IAMError.deleteConflict("Cannot delete entity, must detach all policies first.")
            }
            try await store.deleteGroup(named: group.name)
            snapshot.groups[group.name] = nil
            snapshot.groupMembers[group.name] = nil
        }
    }

    /// UpdateGroup: a new name and/or path; members and policies follow a rename.
    public func updateGroup(named name: String?, newName: String? = nil, newPath: String? = nil) async throws {
        let name = try IAMValidation.name(name, member: "groupName", max: 128)
        let newName = try newName.map { n throws(IAMError) in try IAMValidation.name(n, member: "newGroupName", max: 128) }
        let newPath = try newPath.map { p throws(IAMError) in try IAMValidation.path(p, member: "newPath") }
        try await mutate { snapshot in
            var group = try snapshot.group(name)
            let previous = group.name
            if let newName, newName != previous, let clash = snapshot.canonicalName(newName, in: snapshot.groups), clash != previous {
                throw IAMError.exists(.group, newName)
            }
            group.name = newName ?? group.name
            group.path = newPath ?? group.path
            group.arn = arn(.group, path: group.path, name: group.name)
            try await store.replaceGroup(named: previous, with: group)
            snapshot.groups[previous] = nil
            snapshot.groups[group.name] = group
            guard group.name != previous else { return }
            snapshot.groupMembers[group.name] = snapshot.groupMembers.removeValue(forKey: previous)
            snapshot.inlinePolicies[.group(group.name)] = snapshot.inlinePolicies.removeValue(forKey: .group(previous))
            snapshot.attachments[.group(group.name)] = snapshot.attachments.removeValue(forKey: .group(previous))
        }
    }

    /// AddUserToGroup: a user is in at most 10 groups; adding a member again changes nothing.
    public func addUser(_ userName: String?, toGroup groupName: String?) async throws {
        let groupName = try IAMValidation.name(groupName, member: "groupName", max: 128)
        let userName = try IAMValidation.name(userName, member: "userName", max: 128)
        try await mutate { snapshot in
            let group = try snapshot.group(groupName)
            let user = try snapshot.user(userName)
            let members = snapshot.groupMembers[group.name] ?? []
            guard !members.contains(user.name) else { return }
            if snapshot.groups(of: user.name).count >= IAMValidation.groupsPerUser {
                throw IAMError.quota("GroupsPerUser", IAMValidation.groupsPerUser)
            }
            try await store.addUser(user.name, toGroup: group.name)
            snapshot.groupMembers[group.name] = members + [user.name]
        }
    }

    /// RemoveUserFromGroup.
    public func removeUser(_ userName: String?, fromGroup groupName: String?) async throws {
        let groupName = try IAMValidation.name(groupName, member: "groupName", max: 128)
        let userName = try IAMValidation.name(userName, member: "userName", max: 128)
        try await mutate { snapshot in
            let group = try snapshot.group(groupName)
            let user = try snapshot.user(userName)
            let members = snapshot.groupMembers[group.name] ?? []
            guard members.contains(user.name) else {
                throw IAMError.noSuchEntity("User \(user.name) is not in group \(group.name).")
            }
            try await store.removeUser(user.name, fromGroup: group.name)
            snapshot.groupMembers[group.name] = members.filter { $0 != user.name }
        }
    }
}
