import Foundation

extension IAMDirectory {
    /// CreateUser.
    public func createUser(name: String?, path: String? = nil, permissionsBoundary: String? = nil,
                           tags: [IAMTag] = []) async throws -> IAMUser {
        let name = try IAMValidation.name(name, member: "userName", max: 64)
        let path = try IAMValidation.path(path)
        try IAMValidation.tags(tags)
        return try await mutate { snapshot in
            if snapshot.canonicalName(name, in: snapshot.users) != nil { throw IAMError.exists(.user, name) }
            let boundary = try permissionsBoundary.map { arn throws(IAMError) in try boundaryPolicy(arn, in: snapshot) }
            let user = IAMUser(name: name, path: path, userId: Self.uniqueId(prefix: "AIDA"), arn: arn(.user, path: path, name: name),
                               createDate: now, tags: tags, permissionsBoundary: boundary)
            try await store.insertUser(user)
            snapshot.users[name] = user
            return user
        }
    }

    /// GetUser.
    public func user(named name: String?) throws(IAMError) -> IAMUser {
        let name = try IAMValidation.name(name, member: "userName", max: 128)
        return try state.snapshot.user(name)
    }

    /// ListUsers: by name, those whose path starts with `pathPrefix`.
    public func users(pathPrefix: String? = nil) throws(IAMError) -> [IAMUser] {
        let prefix = try IAMValidation.pathPrefix(pathPrefix)
        return state.snapshot.users.values.filter { $0.path.hasPrefix(prefix) }.sorted(by: Self.byName(\.name))
    }

    /// DeleteUser: only a user without access keys, policies or groups.
    public func deleteUser(named name: String?) async throws {
        let name = try IAMValidation.name(name, member: "userName", max: 128)
        try await mutate { snapshot in
            let user = try snapshot.user(name)
            if !snapshot.accessKeys(of: user.name).isEmpty {
                throw IAMError.deleteConflict("Cannot delete entity, must delete access keys first.")
            }
            if !(snapshot.inlinePolicies[.user(user.name)] ?? [:]).isEmpty {
                throw IAMError.deleteConflict("Cannot delete entity, must delete policies first.")
            }
            if !(snapshot.attachments[.user(user.name)] ?? []).isEmpty {
                throw IAMError.deleteConflict("Cannot delete entity, must detach all policies first.")
            }
            if !snapshot.groups(of: user.name).isEmpty {
                throw IAMError.deleteConflict("Cannot delete entity, must remove users from group first.")
            }
            try await store.deleteUser(named: user.name)
            snapshot.users[user.name] = nil
            snapshot.inlinePolicies[.user(user.name)] = nil
            snapshot.attachments[.user(user.name)] = nil
        }
    }

    /// UpdateUser: a new name and/or path; keys, groups and policies follow a rename.
    public func updateUser(named name: String?, newName: String? = nil, newPath: String? = nil) async throws {
        let name = try IAMValidation.name(name, member: "userName", max: 128)
        let newName = try newName.map { n throws(IAMError) in try IAMValidation.name(n, member: "newUserName", max: 64) }
        let newPath = try newPath.map { p throws(IAMError) in try IAMValidation.path(p, member: "newPath") }
        try await mutate { snapshot in
            var user = try snapshot.user(name)
            let previous = user.name
            if let newName, newName != previous, let clash = snapshot.canonicalName(newName, in: snapshot.users), clash != previous {
                throw IAMError.exists(.user, newName)
            }
            user.name = newName ?? user.name
            user.path = newPath ?? user.path
            user.arn = arn(.user, path: user.path, name: user.name)
            try await store.replaceUser(named: previous, with: user)
            snapshot.users[previous] = nil
            snapshot.users[user.name] = user
            guard user.name != previous else { return }
            for (id, key) in snapshot.accessKeys where key.userName == previous { snapshot.accessKeys[id]?.userName = user.name }
            for (group, members) in snapshot.groupMembers where members.contains(previous) {
                snapshot.groupMembers[group] = members.map { $0 == previous ? user.name : $0 }
            }
            snapshot.inlinePolicies[.user(user.name)] = snapshot.inlinePolicies.removeValue(forKey: .user(previous))
            snapshot.attachments[.user(user.name)] = snapshot.attachments.removeValue(forKey: .user(previous))
        }
    }

    /// TagUser: adds tags, replacing the values of keys the user has (keys compare without case).
    public func tagUser(named name: String?, tags: [IAMTag]) async throws {
        let name = try IAMValidation.name(name, member: "userName", max: 128)
        try IAMValidation.tags(tags)
        try await mutate { snapshot in
            var user = try snapshot.user(name)
            user.tags = try Self.merging(tags, into: user.tags)
            try await store.replaceUser(named: user.name, with: user)
            snapshot.users[user.name] = user
        }
    }

    /// UntagUser: removes the tags with these keys (absent keys are not an error).
    public func untagUser(named name: String?, keys: [String]) async throws {
        let name = try IAMValidation.name(name, member: "userName", max: 128)
        try Self.validateTagKeys(keys)
        try await mutate { snapshot in
            var user = try snapshot.user(name)
            user.tags = Self.removing(keys, from: user.tags)
            try await store.replaceUser(named: user.name, with: user)
            snapshot.users[user.name] = user
        }
    }

    // MARK: Shared by users, roles and policies

    /// IAM's listing order: by name ignoring case (names that differ only in case, by their exact text).
    public static func byName<T>(_ name: KeyPath<T, String>) -> (T, T) -> Bool {
        { a, b in
            let (x, y) = (a[keyPath: name], b[keyPath: name])
            let (lx, ly) = (x.lowercased(), y.lowercased())
            return lx == ly ? x < y : lx < ly
        }
    }

    static func merging(_ new: [IAMTag], into existing: [IAMTag]) throws(IAMError) -> [IAMTag] {
        var tags = existing
        for tag in new {
            if let index = tags.firstIndex(where: { $0.key.lowercased() == tag.key.lowercased() }) {
                tags[index] = tag
            } else {
                tags.append(tag)
            }
        }
        if tags.count > IAMValidation.maxTags { throw IAMError.limitExceeded("The number of tags has reached the maximum limit.") }
        return tags
    }

    static func removing(_ keys: [String], from tags: [IAMTag]) -> [IAMTag] {
        let lowered = Set(keys.map { $0.lowercased() })
        return tags.filter { !lowered.contains($0.key.lowercased()) }
    }

    static func validateTagKeys(_ keys: [String]) throws(IAMError) {
        if keys.count > IAMValidation.maxTags {
            throw IAMValidation.violation("[" + keys.joined(separator: ", ") + "]", "tagKeys",
                                          "Member must have length less than or equal to \(IAMValidation.maxTags)")
        }
        for (index, key) in keys.enumerated() { try IAMValidation.tagKey(key, member: "tagKeys.\(index + 1).member") }
    }

    /// A permissions boundary: the ARN of a managed policy that exists.
    func boundaryPolicy(_ arn: String, in snapshot: IdentitySnapshot) throws(IAMError) -> String {
        try Self.checkArn(arn)
        guard snapshot.managedPolicies[arn] != nil else { throw .noSuchBoundary(arn) }
        return arn
    }

    /// `arn:aws:iam::<account or aws>:<resource>`, as the policy operations require.
    static func checkArn(_ arn: String) throws(IAMError) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard arn.count >= 20, parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "iam",
              parts[3].isEmpty, !parts[4].isEmpty, !parts[5].isEmpty else { throw .invalidArn(arn) }
    }
}
