import AWSProtocol
import Identity

/// Put, Get, List and Delete of User, Group and Role inline policies: the same four operations for each kind of
/// owner, named by its `UserName`, `GroupName` or `RoleName`.
extension IAMService {
    static let inlinePolicyOperations: [String: Operation] = {
        var operations: [String: Operation] = [:]
        for kind in ["User", "Group", "Role"] {
            operations["Put\(kind)Policy"] = { s, r in
                try await s.directory.putInlinePolicy(of: owner(kind, r), name: r["PolicyName"], document: r["PolicyDocument"])
                return nil
            }
            operations["Get\(kind)Policy"] = { s, r in
                let (owner, document) = try s.directory.inlinePolicy(of: owner(kind, r), name: r["PolicyName"])
                return [
                    XMLNode("\(kind)Name", text: owner.name),
                    XMLNode("PolicyName", text: r["PolicyName"] ?? ""),
                    XMLNode("PolicyDocument", text: PolicyShapes.encodedDocument(document)),
                ]
            }
            operations["List\(kind)Policies"] = { s, r in
                try paged(try s.directory.inlinePolicyNames(of: owner(kind, r)), r, listName: "PolicyNames") { XMLNode("member", text: $0) }
            }
            operations["Delete\(kind)Policy"] = { s, r in
                try await s.directory.deleteInlinePolicy(of: owner(kind, r), name: r["PolicyName"])
                return nil
            }
        }
        return operations
    }()

    /// The owner a request names by `<Kind>Name`; a missing name is refused by the directory's validation.
    static func owner(_ kind: String, _ r: IAMRequest) throws -> PolicyOwner {
        let member = kind.lowercased() + "Name"
        let name = try IAMValidation.required(r["\(kind)Name"], member)
        return PolicyOwner(kind: kind.lowercased(), name: name)!
    }
}
