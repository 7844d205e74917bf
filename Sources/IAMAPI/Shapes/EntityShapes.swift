import AWSProtocol
import Foundation
import Identity

/// IAM's output shapes for users, groups, roles, access keys and tags, as botocore's query parser reads them.
/// `detail` adds what the Get operations return and the List operations leave out (tags, permissions boundary).
enum EntityShapes {
    static func date(_ date: Date) -> String { AWSTimestamp.iso8601(date) }

    static func user(_ user: IAMUser, detail: Bool = true, name: String = "User") -> XMLNode {
        var children = [
            XMLNode("Path", text: user.path),
            XMLNode("UserName", text: user.name),
            XMLNode("UserId", text: user.userId),
            XMLNode("Arn", text: user.arn),
            XMLNode("CreateDate", text: date(user.createDate)),
        ]
        if detail {
            children += boundary(user.permissionsBoundary)
            if !user.tags.isEmpty { children.append(tags(user.tags)) }
        }
        return XMLNode(name, children)
    }

    /// The account root as GetUser describes it to root credentials.
    static func rootUser(accountId: String, createDate: Date) -> XMLNode {
        XMLNode("User", [
            XMLNode("UserId", text: accountId),
            XMLNode("Arn", text: "arn:aws:iam::\(accountId):root"),
            XMLNode("CreateDate", text: date(createDate)),
        ])
    }

    static func group(_ group: IAMGroup, name: String = "Group") -> XMLNode {
        XMLNode(name, [
            XMLNode("Path", text: group.path),
            XMLNode("GroupName", text: group.name),
            XMLNode("GroupId", text: group.groupId),
            XMLNode("Arn", text: group.arn),
            XMLNode("CreateDate", text: date(group.createDate)),
        ])
    }

    static func role(_ role: IAMRole, detail: Bool = true, name: String = "Role") -> XMLNode {
        var children = roleIdentity(role)
        children += XMLNode.optional("Description", role.description)
        children.append(XMLNode("MaxSessionDuration", text: String(role.maxSessionDuration)))
        if detail {
            children += boundary(role.permissionsBoundary)
            if !role.tags.isEmpty { children.append(tags(role.tags)) }
            children.append(XMLNode("RoleLastUsed"))
        }
        return XMLNode(name, children)
    }

    /// The members every shape of a role starts with, its trust policy among them.
    static func roleIdentity(_ role: IAMRole) -> [XMLNode] {
        [
            XMLNode("Path", text: role.path),
            XMLNode("RoleName", text: role.name),
            XMLNode("RoleId", text: role.roleId),
            XMLNode("Arn", text: role.arn),
            XMLNode("CreateDate", text: date(role.createDate)),
            XMLNode("AssumeRolePolicyDocument", text: PolicyShapes.encodedDocument(role.assumeRolePolicyDocument)),
        ]
    }

    static func boundary(_ arn: String?) -> [XMLNode] {
        guard let arn else { return [] }
        return [XMLNode("PermissionsBoundary", [
            XMLNode("PermissionsBoundaryType", text: "PermissionsBoundaryPolicy"),
            XMLNode("PermissionsBoundaryArn", text: arn),
        ])]
    }

    static func tags(_ tags: some Collection<IAMTag>) -> XMLNode {
        XMLNode.list("Tags", tags.map(tagMember))
    }

    static func tagMember(_ tag: IAMTag) -> XMLNode {
        XMLNode("member", [XMLNode("Key", text: tag.key), XMLNode("Value", text: tag.value)])
    }

    /// CreateAccessKey's answer: the only time the secret is shown.
    static func accessKey(_ key: AccessKey) -> XMLNode {
        XMLNode("AccessKey", [
            XMLNode("UserName", text: key.userName),
            XMLNode("AccessKeyId", text: key.accessKeyId),
            XMLNode("Status", text: key.status.rawValue),
            XMLNode("SecretAccessKey", text: key.secret),
            XMLNode("CreateDate", text: date(key.createDate)),
        ])
    }

    static func accessKeyMetadata(_ key: AccessKey) -> XMLNode {
        XMLNode("member", [
            XMLNode("UserName", text: key.userName),
            XMLNode("AccessKeyId", text: key.accessKeyId),
            XMLNode("Status", text: key.status.rawValue),
            XMLNode("CreateDate", text: date(key.createDate)),
        ])
    }
}
