import AWSProtocol
import Foundation
import Identity

/// IAM's output shapes for managed policies, their versions and attachments.
enum PolicyShapes {
    /// Policy documents travel URL-encoded, as IAM returns them (botocore decodes them back to JSON).
    static func encodedDocument(_ document: String) -> String {
        document.addingPercentEncoding(withAllowedCharacters: unreserved) ?? document
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    /// `Policy` of CreatePolicy and GetPolicy (`detail`), or a member of ListPolicies (no description, no tags).
    static func policy(_ policy: ManagedPolicy, in snapshot: IdentitySnapshot, detail: Bool, name: String = "Policy") -> XMLNode {
        var children = [
            XMLNode("PolicyName", text: policy.name),
            XMLNode("PolicyId", text: policy.policyId),
            XMLNode("Arn", text: policy.arn),
            XMLNode("Path", text: policy.path),
            XMLNode("DefaultVersionId", text: policy.defaultVersionId),
            XMLNode("AttachmentCount", text: String(snapshot.attachmentCount(of: policy.arn))),
            XMLNode("PermissionsBoundaryUsageCount", text: String(snapshot.boundaryUsageCount(of: policy.arn))),
            XMLNode("IsAttachable", text: "true"),
        ]
        if detail { children += XMLNode.optional("Description", policy.description) }
        children.append(XMLNode("CreateDate", text: EntityShapes.date(policy.createDate)))
        children.append(XMLNode("UpdateDate", text: EntityShapes.date(policy.updateDate)))
        if detail, !policy.tags.isEmpty { children.append(EntityShapes.tags(policy.tags)) }
        return XMLNode(name, children)
    }

    /// A `PolicyVersion`; ListPolicyVersions leaves the document out.
    static func version(_ version: PolicyVersion, isDefault: Bool, withDocument: Bool = true, name: String = "PolicyVersion") -> XMLNode {
        var children: [XMLNode] = []
        if withDocument { children.append(XMLNode("Document", text: encodedDocument(version.document))) }
        children += [
            XMLNode("VersionId", text: version.versionId),
            XMLNode("IsDefaultVersion", text: isDefault ? "true" : "false"),
            XMLNode("CreateDate", text: EntityShapes.date(version.createDate)),
        ]
        return XMLNode(name, children)
    }

    static func attached(_ policy: ManagedPolicy) -> XMLNode {
        XMLNode("member", [XMLNode("PolicyName", text: policy.name), XMLNode("PolicyArn", text: policy.arn)])
    }

    /// `PolicyName` / `PolicyDocument` pairs of GetAccountAuthorizationDetails.
    static func inlineDetails(_ listName: String, _ policies: [String: String]?) -> XMLNode {
        XMLNode.list(listName, (policies ?? [:]).keys.sorted().map { name in
            XMLNode("member", [XMLNode("PolicyName", text: name),
                               XMLNode("PolicyDocument", text: encodedDocument(policies?[name] ?? ""))])
        })
    }

    static func attachedList(_ arns: [String]?, in snapshot: IdentitySnapshot, name: String = "AttachedManagedPolicies") -> XMLNode {
        XMLNode.list(name, (arns ?? []).compactMap { snapshot.managedPolicies[$0] }.map(attached))
    }
}
