import Foundation

extension IAMDirectory {
    /// CreateAccessKey: a new Active key (`AKIA` + 16 characters) and its 40-character secret, which is returned
    /// this once and stored only sealed. At most two keys per user.
    public func createAccessKey(userName: String?) async throws -> AccessKey {
        let userName = try IAMValidation.name(userName, member: "userName", max: 128)
        return try await mutate { snapshot in
            let user = try snapshot.user(userName)
            if snapshot.accessKeys(of: user.name).count >= IAMValidation.accessKeysPerUser {
                throw IAMError.quota("AccessKeysPerUser", IAMValidation.accessKeysPerUser)
            }
            var id: String
            repeat { id = Self.uniqueId(prefix: "AKIA", length: 16) } while snapshot.accessKeys[id] != nil
            let key = AccessKey(accessKeyId: id, userName: user.name, secret: Self.secretAccessKey(), status: .active,
                                createDate: now)
            let sealed = try sealer.sealString(key.secret, context: id)
            try await store.insertAccessKey(SealedAccessKey(accessKeyId: id, userName: user.name, sealedSecret: sealed,
                                                            status: key.status, createDate: key.createDate))
            snapshot.accessKeys[id] = key
            return key
        }
    }

    /// ListAccessKeys: the user's keys, oldest first.
    public func accessKeys(userName: String?) throws(IAMError) -> [AccessKey] {
        let userName = try IAMValidation.name(userName, member: "userName", max: 128)
        let snapshot = state.snapshot
        return snapshot.accessKeys(of: try snapshot.user(userName).name)
    }

    /// UpdateAccessKey: `Active` or `Inactive`. An inactive key no longer signs requests.
    public func updateAccessKey(userName: String?, accessKeyId: String?, status: String?) async throws {
        let userName = try IAMValidation.name(userName, member: "userName", max: 128)
        let id = try Self.accessKeyId(accessKeyId)
        let statusText = try IAMValidation.required(status, "status")
        guard let status = AccessKey.Status(rawValue: statusText) else {
            throw IAMValidation.violation(statusText, "status", "Member must satisfy enum value set: [Active, Inactive, Expired]")
        }
        try await mutate { snapshot in
            let owner = try snapshot.user(userName).name
            guard let key = snapshot.accessKeys[id], key.userName == owner else { throw IAMError.noSuchAccessKey(id) }
            guard key.status != status else { return }
            try await store.setAccessKeyStatus(id, to: status)
            snapshot.accessKeys[id]?.status = status
        }
    }

    /// DeleteAccessKey.
    public func deleteAccessKey(userName: String?, accessKeyId: String?) async throws {
        let userName = try IAMValidation.name(userName, member: "userName", max: 128)
        let id = try Self.accessKeyId(accessKeyId)
        try await mutate { snapshot in
            let owner = try snapshot.user(userName).name
            guard let key = snapshot.accessKeys[id], key.userName == owner else { throw IAMError.noSuchAccessKey(id) }
            try await store.deleteAccessKey(id)
            snapshot.accessKeys[id] = nil
            keyUsage.forget(id)
        }
    }

    /// The owner of an access key, for the operations that name only the key.
    public func owner(ofAccessKey accessKeyId: String) -> String? {
        state.snapshot.accessKeys[accessKeyId]?.userName
    }

    static func accessKeyId(_ value: String?) throws(IAMError) -> String {
        let id = try IAMValidation.required(value, "accessKeyId")
        try IAMValidation.length(id, "accessKeyId", min: 16, max: 128)
        guard id.unicodeScalars.allSatisfy({ IAMValidation.isNameCharacter($0) && !"+=,.@-".unicodeScalars.contains($0) }) else {
            throw IAMValidation.violation(id, "accessKeyId", "Member must satisfy regular expression pattern: [\\w]+")
        }
        return id
    }
}
