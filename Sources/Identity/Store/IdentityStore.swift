import Foundation

/// Persistence of IAM: users, access keys (secrets sealed), groups and their members, roles, inline and managed
/// policies, attachments. The domain owns this interface; `SQLiteStore` implements it (a PostgreSQL store will too).
/// Every method is one transaction. The directory checks IAM's rules against its snapshot before it writes, so the
/// store only keeps rows consistent: it refuses a duplicate (`IdentityStoreError.alreadyExists`, names compared
/// without case as IAM does) or a missing row (`.notFound`).
public protocol IdentityStore: Sendable {
    /// Everything IAM holds, read in one transaction, secrets still sealed.
    func loadIdentity() async throws -> StoredIdentity

    func insertUser(_ user: IAMUser) async throws
    /// Replaces the user stored as `previousName`; a rename carries its access keys, group memberships, inline
    /// policies and attachments along.
    func replaceUser(named previousName: String, with user: IAMUser) async throws
    func deleteUser(named name: String) async throws

    func insertAccessKey(_ key: SealedAccessKey) async throws
    func setAccessKeyStatus(_ accessKeyId: String, to status: AccessKey.Status) async throws
    func deleteAccessKey(_ accessKeyId: String) async throws
    /// Records when and where keys were last used, in one transaction; keys deleted meanwhile are skipped.
    func recordAccessKeyUse(_ uses: [String: AccessKeyLastUsed]) async throws

    func insertGroup(_ group: IAMGroup) async throws
    /// Replaces the group stored as `previousName`; a rename carries its members, inline policies and attachments.
    func replaceGroup(named previousName: String, with group: IAMGroup) async throws
    func deleteGroup(named name: String) async throws
    /// Adding a member twice is not an error.
    func addUser(_ userName: String, toGroup groupName: String) async throws
    func removeUser(_ userName: String, fromGroup groupName: String) async throws

    func insertRole(_ role: IAMRole) async throws
    func replaceRole(_ role: IAMRole) async throws
    func deleteRole(named name: String) async throws

    /// Creates or replaces the owner's inline policy of that name.
    func putInlinePolicy(_ policyName: String, document: String, of owner: PolicyOwner) async throws
    func deleteInlinePolicy(_ policyName: String, of owner: PolicyOwner) async throws

    /// Customer managed policies only: AWS managed policies are built in.
    func insertManagedPolicy(_ policy: ManagedPolicy) async throws
    func replaceManagedPolicy(_ policy: ManagedPolicy) async throws
    func deleteManagedPolicy(arn: String) async throws

    /// Attaching twice is not an error; attachments keep their order.
    func attachPolicy(_ policyArn: String, to owner: PolicyOwner) async throws
    func detachPolicy(_ policyArn: String, from owner: PolicyOwner) async throws
}

public enum IdentityStoreError: Error, Equatable, CustomStringConvertible {
    case alreadyExists(String)
    case notFound(String)
    /// A stored row the store cannot read back.
    case corrupt(String)

    public var description: String {
        switch self {
        case .corrupt(let what): "the identity store holds an unreadable row: \(what)"
        case .alreadyExists(let what): "\(what) already exists in the identity store"
        case .notFound(let what): "\(what) is not in the identity store"
        }
    }
}

/// IAM as the store keeps it: secrets sealed, relations as rows. The directory builds an `IdentitySnapshot` from it.
public struct StoredIdentity: Sendable {
    public var users: [IAMUser]
    public var accessKeys: [SealedAccessKey]
    public var groups: [IAMGroup]
    public var memberships: [GroupMembership]
    public var roles: [IAMRole]
    public var managedPolicies: [ManagedPolicy]
    public var inlinePolicies: [InlinePolicy]
    /// In attachment order.
    public var attachments: [PolicyAttachment]

    public init(users: [IAMUser] = [], accessKeys: [SealedAccessKey] = [], groups: [IAMGroup] = [],
                memberships: [GroupMembership] = [], roles: [IAMRole] = [], managedPolicies: [ManagedPolicy] = [],
                inlinePolicies: [InlinePolicy] = [], attachments: [PolicyAttachment] = []) {
        self.users = users
        self.accessKeys = accessKeys
        self.groups = groups
        self.memberships = memberships
        self.roles = roles
        self.managedPolicies = managedPolicies
        self.inlinePolicies = inlinePolicies
        self.attachments = attachments
    }
}

/// An access key as stored: the secret sealed by `SecretSealer` with the access key id as its context.
public struct SealedAccessKey: Sendable, Equatable {
    public var accessKeyId: String
    public var userName: String
    public var sealedSecret: [UInt8]
    public var status: AccessKey.Status
    public var createDate: Date
    public var lastUsed: AccessKeyLastUsed?

    public init(accessKeyId: String, userName: String, sealedSecret: [UInt8], status: AccessKey.Status, createDate: Date,
                lastUsed: AccessKeyLastUsed? = nil) {
        self.accessKeyId = accessKeyId
        self.userName = userName
        self.sealedSecret = sealedSecret
        self.status = status
        self.createDate = createDate
        self.lastUsed = lastUsed
    }
}

public struct GroupMembership: Sendable, Equatable {
    public var groupName: String
    public var userName: String

    public init(groupName: String, userName: String) {
        self.groupName = groupName
        self.userName = userName
    }
}

/// A policy embedded in one user, group or role.
public struct InlinePolicy: Sendable, Equatable {
    public var owner: PolicyOwner
    public var name: String
    public var document: String

    public init(owner: PolicyOwner, name: String, document: String) {
        self.owner = owner
        self.name = name
        self.document = document
    }
}

public struct PolicyAttachment: Sendable, Equatable {
    public var owner: PolicyOwner
    public var policyArn: String

    public init(owner: PolicyOwner, policyArn: String) {
        self.owner = owner
        self.policyArn = policyArn
    }
}
