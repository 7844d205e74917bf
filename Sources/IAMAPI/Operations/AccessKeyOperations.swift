import AWSProtocol
import Identity

/// CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed. Without `UserName`,
/// the key operations act on the calling user.
extension IAMService {
    static let accessKeyOperations: [String: Operation] = [
        "CreateAccessKey": { s, r in
            [EntityShapes.accessKey(try await s.directory.createAccessKey(userName: try r.userNameOrCaller()))]
        },
        "ListAccessKeys": { s, r in
            let keys = try s.directory.accessKeys(userName: try r.userNameOrCaller())
            return try paged(keys, r, listName: "AccessKeyMetadata", EntityShapes.accessKeyMetadata)
        },
        "UpdateAccessKey": { s, r in
            try await s.directory.updateAccessKey(userName: try s.keyOwner(r), accessKeyId: r["AccessKeyId"], status: r["Status"])
            return nil
        },
        "DeleteAccessKey": { s, r in
            try await s.directory.deleteAccessKey(userName: try s.keyOwner(r), accessKeyId: r["AccessKeyId"])
            return nil
        },
        "GetAccessKeyLastUsed": { s, r in try s.getAccessKeyLastUsed(r) },
    ]

    /// The user whose key an update or delete names: `UserName`, else the calling user; for the root, whoever owns
    /// the key (Swiftlet's root key pair lives in the data dir, not in IAM).
    func keyOwner(_ r: IAMRequest) throws -> String {
        if let name = r["UserName"] ?? r.callerUserName { return name }
        if !r.callerIsNonUser, let id = r["AccessKeyId"], let owner = directory.owner(ofAccessKey: id) { return owner }
        return try r.userNameOrCaller()
    }

    /// A key never used answers `N/A` for its service and region, as IAM does.
    func getAccessKeyLastUsed(_ r: IAMRequest) throws -> [XMLNode] {
        let id = try IAMValidation.required(r["AccessKeyId"], "accessKeyId")
        let (userName, lastUsed) = try directory.accessKeyLastUsed(id)
        var used: [XMLNode] = []
        if let lastUsed {
            used = [
                XMLNode("LastUsedDate", text: EntityShapes.date(lastUsed.date)),
                XMLNode("ServiceName", text: lastUsed.serviceName),
                XMLNode("Region", text: lastUsed.region),
            ]
        } else {
            used = [XMLNode("ServiceName", text: "N/A"), XMLNode("Region", text: "N/A")]
        }
        return [XMLNode("UserName", text: userName), XMLNode("AccessKeyLastUsed", used)]
    }
}
