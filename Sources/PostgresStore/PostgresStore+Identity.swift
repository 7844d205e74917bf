import Foundation
import Identity
import Logging
import PostgresNIO

/// IAM in PostgreSQL: entities as JSON definitions keyed by name (compared without case through `iam_key`), relations
/// as rows in the order they were added. A write that needs an owner to exist holds it `FOR SHARE`, so a delete on
/// another node waits for it (and the write that waited for a delete finds the owner gone); duplicates are refused by
/// the unique indexes, whichever node inserts first.
extension PostgresStore: IdentityStore {
    public func loadIdentity() async throws -> StoredIdentity {
        try await transaction { db in
            // One snapshot for every table: a rename committed meanwhile is seen whole or not at all.
            try await db.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            var stored = StoredIdentity()
            stored.users = try await db.rows("SELECT definition FROM iam_users ORDER BY iam_key(name)", logger)
                .map { try Self.decode(IAMUser.self, try $0.decode(Data.self)) }
            stored.groups = try await db.rows("SELECT definition FROM iam_groups ORDER BY iam_key(name)", logger)
                .map { try Self.decode(IAMGroup.self, try $0.decode(Data.self)) }
            stored.roles = try await db.rows("SELECT definition FROM iam_roles ORDER BY iam_key(name)", logger)
                .map { try Self.decode(IAMRole.self, try $0.decode(Data.self)) }
            stored.managedPolicies = try await db.rows("SELECT definition FROM iam_managed_policies ORDER BY iam_key(name)", logger)
                .map { try Self.decode(ManagedPolicy.self, try $0.decode(Data.self)) }
            stored.accessKeys = try await db.rows("""
                SELECT access_key_id, user_name, sealed_secret, status, created_at, last_used_at, last_used_service, last_used_region
                FROM iam_access_keys ORDER BY created_at, seq
                """, logger).map(Self.accessKey)
            stored.memberships = try await db.rows("SELECT group_name, user_name FROM iam_group_members ORDER BY seq", logger).map {
                let (group, user) = try $0.decode((String, String).self)
                return GroupMembership(groupName: group, userName: user)
            }
            stored.inlinePolicies = try await db.rows("""
                SELECT owner_kind, owner_name, policy_name, document FROM iam_inline_policies ORDER BY seq
                """, logger).compactMap { row in
                let (kind, owner, name, document) = try row.decode((String, String, String, String).self)
                return PolicyOwner(kind: kind, name: owner).map { InlinePolicy(owner: $0, name: name, document: document) }
            }
            stored.attachments = try await db.rows("SELECT owner_kind, owner_name, policy_arn FROM iam_policy_attachments ORDER BY seq", logger)
                .compactMap { row in
                    let (kind, owner, arn) = try row.decode((String, String, String).self)
                    return PolicyOwner(kind: kind, name: owner).map { PolicyAttachment(owner: $0, policyArn: arn) }
                }
            return stored
        }
    }

    // MARK: Users, groups, roles

    public func insertUser(_ user: IAMUser) async throws {
        try await insertIdentityEntity(.users, name: user.name, uniqueId: user.userId, try Self.encode(user))
    }

    public func replaceUser(named previousName: String, with user: IAMUser) async throws {
        try await replaceIdentityEntity(.users, previousName: previousName, name: user.name, try Self.encode(user)) { db, logger in
            try await db.query("UPDATE iam_access_keys SET user_name = \(user.name) WHERE iam_key(user_name) = iam_key(\(previousName))",
                               logger: logger)
            try await db.query("UPDATE iam_group_members SET user_name = \(user.name) WHERE iam_key(user_name) = iam_key(\(previousName))",
                               logger: logger)
        }
    }

    public func deleteUser(named name: String) async throws {
        try await deleteIdentityEntity(.users, name: name) { db, logger in
            try await db.query("DELETE FROM iam_access_keys WHERE iam_key(user_name) = iam_key(\(name))", logger: logger)
            try await db.query("DELETE FROM iam_group_members WHERE iam_key(user_name) = iam_key(\(name))", logger: logger)
        }
    }

    public func insertGroup(_ group: IAMGroup) async throws {
        try await insertIdentityEntity(.groups, name: group.name, uniqueId: group.groupId, try Self.encode(group))
    }

    public func replaceGroup(named previousName: String, with group: IAMGroup) async throws {
        try await replaceIdentityEntity(.groups, previousName: previousName, name: group.name, try Self.encode(group)) { db, logger in
            try await db.query("UPDATE iam_group_members SET group_name = \(group.name) WHERE iam_key(group_name) = iam_key(\(previousName))",
                               logger: logger)
        }
    }

    public func deleteGroup(named name: String) async throws {
        try await deleteIdentityEntity(.groups, name: name) { db, logger in
            try await db.query("DELETE FROM iam_group_members WHERE iam_key(group_name) = iam_key(\(name))", logger: logger)
        }
    }

    public func insertRole(_ role: IAMRole) async throws {
        try await insertIdentityEntity(.roles, name: role.name, uniqueId: role.roleId, try Self.encode(role))
    }

    public func replaceRole(_ role: IAMRole) async throws {
        try await replaceIdentityEntity(.roles, previousName: role.name, name: role.name, try Self.encode(role)) { _, _ in }
    }

    public func deleteRole(named name: String) async throws {
        try await deleteIdentityEntity(.roles, name: name) { _, _ in }
    }

    public func addUser(_ userName: String, toGroup groupName: String) async throws {
        try await transaction { db in
            try await Self.requireIdentityRow(db, .users, name: userName, logger)
            try await Self.requireIdentityRow(db, .groups, name: groupName, logger)
            try await db.query("""
                INSERT INTO iam_group_members (group_name, user_name) VALUES (\(groupName), \(userName)) ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    public func removeUser(_ userName: String, fromGroup groupName: String) async throws {
        let removed = try await rows("""
            DELETE FROM iam_group_members WHERE iam_key(group_name) = iam_key(\(groupName)) AND iam_key(user_name) = iam_key(\(userName))
            RETURNING 1
            """)
        if removed.isEmpty { throw IdentityStoreError.notFound("user \(userName) in group \(groupName)") }
    }

    // MARK: Access keys

    public func insertAccessKey(_ key: SealedAccessKey) async throws {
        try await transaction { db in
            try await Self.requireIdentityRow(db, .users, name: key.userName, logger)
            let inserted = try await db.rows("""
                INSERT INTO iam_access_keys (access_key_id, user_name, sealed_secret, status, created_at, last_used_at,
                    last_used_service, last_used_region)
                VALUES (\(key.accessKeyId), \(key.userName), \(Data(key.sealedSecret)), \(key.status.rawValue),
                    \(Self.identityMillis(key.createDate)), \(key.lastUsed.map { Self.identityMillis($0.date) }),
                    \(key.lastUsed?.serviceName), \(key.lastUsed?.region))
                ON CONFLICT (access_key_id) DO NOTHING RETURNING 1
                """, logger)
            if inserted.isEmpty { throw IdentityStoreError.alreadyExists("access key \(key.accessKeyId)") }
        }
    }

    public func setAccessKeyStatus(_ accessKeyId: String, to status: AccessKey.Status) async throws {
        let updated = try await rows("UPDATE iam_access_keys SET status = \(status.rawValue) WHERE access_key_id = \(accessKeyId) RETURNING 1")
        if updated.isEmpty { throw IdentityStoreError.notFound("access key \(accessKeyId)") }
    }

    public func deleteAccessKey(_ accessKeyId: String) async throws {
        let deleted = try await rows("DELETE FROM iam_access_keys WHERE access_key_id = \(accessKeyId) RETURNING 1")
        if deleted.isEmpty { throw IdentityStoreError.notFound("access key \(accessKeyId)") }
    }

    public func recordAccessKeyUse(_ uses: [String: AccessKeyLastUsed]) async throws {
        guard !uses.isEmpty else { return }
        // In key order, so two nodes recording overlapping keys lock them in the same order.
        let ordered = uses.sorted { $0.key < $1.key }
        try await client.query("""
            UPDATE iam_access_keys k SET last_used_at = u.at, last_used_service = u.service, last_used_region = u.region
            FROM (SELECT * FROM unnest(\(ordered.map(\.key)), \(ordered.map { Self.identityMillis($0.value.date) }),
                                       \(ordered.map(\.value.serviceName)), \(ordered.map(\.value.region)))
                  AS u(id, at, service, region)) u
            WHERE k.access_key_id = u.id
            """, logger: logger)
    }

    // MARK: Policies

    public func putInlinePolicy(_ policyName: String, document: String, of owner: PolicyOwner) async throws {
        try await transaction { db in
            try await Self.requireIdentityRow(db, IdentityTable(owner), name: owner.name, logger)
            try await db.query("""
                INSERT INTO iam_inline_policies (owner_kind, owner_name, policy_name, document)
                VALUES (\(owner.kind), \(owner.name), \(policyName), \(document))
                ON CONFLICT (owner_kind, iam_key(owner_name), policy_name) DO UPDATE SET document = excluded.document
                """, logger: logger)
        }
    }

    public func deleteInlinePolicy(_ policyName: String, of owner: PolicyOwner) async throws {
        let deleted = try await rows("""
            DELETE FROM iam_inline_policies
            WHERE owner_kind = \(owner.kind) AND iam_key(owner_name) = iam_key(\(owner.name)) AND policy_name = \(policyName)
            RETURNING 1
            """)
        if deleted.isEmpty { throw IdentityStoreError.notFound("\(owner.kind) policy \(policyName)") }
    }

    public func insertManagedPolicy(_ policy: ManagedPolicy) async throws {
        let blob = try Self.encode(policy)
        try await transaction { db in
            if try await !db.rows("""
                SELECT 1 FROM iam_managed_policies WHERE arn = \(policy.arn) OR iam_key(name) = iam_key(\(policy.name))
                """, logger).isEmpty {
                throw IdentityStoreError.alreadyExists("policy \(policy.name)")
            }
            do {
                try await db.query("INSERT INTO iam_managed_policies (arn, name, definition) VALUES (\(policy.arn), \(policy.name), \(blob))",
                                   logger: logger)
            } catch let error as PSQLError where Self.isUniqueViolation(error) {
                // Inserted by another node since the check.
                throw IdentityStoreError.alreadyExists("policy \(policy.name)")
            }
        }
    }

    public func replaceManagedPolicy(_ policy: ManagedPolicy) async throws {
        let blob = try Self.encode(policy)
        let updated = try await rows("UPDATE iam_managed_policies SET definition = \(blob) WHERE arn = \(policy.arn) RETURNING 1")
        if updated.isEmpty { throw IdentityStoreError.notFound("policy \(policy.arn)") }
    }

    public func deleteManagedPolicy(arn: String) async throws {
        try await transaction { db in
            if try await db.rows("DELETE FROM iam_managed_policies WHERE arn = \(arn) RETURNING 1", logger).isEmpty {
                throw IdentityStoreError.notFound("policy \(arn)")
            }
            try await db.query("DELETE FROM iam_policy_attachments WHERE policy_arn = \(arn)", logger: logger)
        }
    }

    public func attachPolicy(_ policyArn: String, to owner: PolicyOwner) async throws {
        try await transaction { db in
            try await Self.requireIdentityRow(db, IdentityTable(owner), name: owner.name, logger)
            try await db.query("""
                INSERT INTO iam_policy_attachments (owner_kind, owner_name, policy_arn) VALUES (\(owner.kind), \(owner.name), \(policyArn))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    public func detachPolicy(_ policyArn: String, from owner: PolicyOwner) async throws {
        let deleted = try await rows("""
            DELETE FROM iam_policy_attachments
            WHERE owner_kind = \(owner.kind) AND iam_key(owner_name) = iam_key(\(owner.name)) AND policy_arn = \(policyArn)
            RETURNING 1
            """)
        if deleted.isEmpty { throw IdentityStoreError.notFound("attachment of \(policyArn) to \(owner.kind) \(owner.name)") }
    }

    // MARK: Helpers

    private func insertIdentityEntity(_ table: IdentityTable, name: String, uniqueId: String, _ definition: Data) async throws {
        let inserted = try await rows("""
            INSERT INTO \(unescaped: table.rawValue) (name, unique_id, definition) VALUES (\(name), \(uniqueId), \(definition))
            ON CONFLICT (iam_key(name)) DO NOTHING RETURNING 1
            """)
        if inserted.isEmpty { throw IdentityStoreError.alreadyExists("\(table.title) with name \(name)") }
    }

    /// Replaces the row of `previousName`; a rename also moves the entity's inline policies and attachments, and
    /// `dependents` moves whatever else refers to it.
    private func replaceIdentityEntity(_ table: IdentityTable, previousName: String, name: String, _ definition: Data,
                                       dependents: @escaping @Sendable (PostgresConnection, Logger) async throws -> Void) async throws {
        let kind = table.kind
        try await transaction { db in
            let updated: [PostgresRow]
            do {
                updated = try await db.rows("""
                    UPDATE \(unescaped: table.rawValue) SET name = \(name), definition = \(definition)
                    WHERE iam_key(name) = iam_key(\(previousName)) RETURNING 1
                    """, logger)
            } catch let error as PSQLError where Self.isUniqueViolation(error) {
                throw IdentityStoreError.alreadyExists("\(kind) \(name)")
            }
            if updated.isEmpty { throw IdentityStoreError.notFound("\(kind) \(previousName)") }
            guard name != previousName else { return }
            for relation in ["iam_inline_policies", "iam_policy_attachments"] {
                try await db.query("""
                    UPDATE \(unescaped: relation) SET owner_name = \(name) WHERE owner_kind = \(kind) AND iam_key(owner_name) = iam_key(\(previousName))
                    """, logger: logger)
            }
            try await dependents(db, logger)
        }
    }

    private func deleteIdentityEntity(_ table: IdentityTable, name: String,
                                      dependents: @escaping @Sendable (PostgresConnection, Logger) async throws -> Void) async throws {
        let kind = table.kind
        try await transaction { db in
            if try await db.rows("DELETE FROM \(unescaped: table.rawValue) WHERE iam_key(name) = iam_key(\(name)) RETURNING 1", logger).isEmpty {
                throw IdentityStoreError.notFound("\(kind) \(name)")
            }
            for relation in ["iam_inline_policies", "iam_policy_attachments"] {
                try await db.query("DELETE FROM \(unescaped: relation) WHERE owner_kind = \(kind) AND iam_key(owner_name) = iam_key(\(name))",
                                   logger: logger)
            }
            try await dependents(db, logger)
        }
    }

    /// Holds the row `FOR SHARE` until the transaction ends: a concurrent delete waits, so nothing is attached to an
    /// entity that is gone.
    private static func requireIdentityRow(_ db: PostgresConnection, _ table: IdentityTable, name: String, _ logger: Logger) async throws {
        if try await db.rows("SELECT 1 FROM \(unescaped: table.rawValue) WHERE iam_key(name) = iam_key(\(name)) FOR SHARE", logger).isEmpty {
            throw IdentityStoreError.notFound("\(table.rawValue) \(name)")
        }
    }

    private static func isUniqueViolation(_ error: PSQLError) -> Bool {
        error.serverInfo?[.sqlState] == "23505"
    }

    private static func accessKey(_ row: PostgresRow) throws -> SealedAccessKey {
        let (id, user, secret, statusText, created, lastUsedAt, service, region) =
            try row.decode((String, String, Data, String, Int64, Int64?, String?, String?).self)
        guard let status = AccessKey.Status(rawValue: statusText) else {
            throw IdentityStoreError.corrupt("access key \(id) has status \(statusText)")
        }
        let lastUsed = lastUsedAt.map { AccessKeyLastUsed(date: identityDate($0), serviceName: service ?? "", region: region ?? "") }
        return SealedAccessKey(accessKeyId: id, userName: user, sealedSecret: Array(secret), status: status,
                               createDate: identityDate(created), lastUsed: lastUsed)
    }

    private static func identityMillis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func identityDate(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }
}

/// The tables of IAM's entities.
private enum IdentityTable: String {
    case users = "iam_users"
    case groups = "iam_groups"
    case roles = "iam_roles"

    /// As IAM's messages name the entity ("Role with name … already exists.").
    var title: String {
        switch self {
        case .users: "User"
        case .groups: "Group"
        case .roles: "Role"
        }
    }

    init(_ owner: PolicyOwner) {
        switch owner {
        case .user: self = .users
        case .group: self = .groups
        case .role: self = .roles
        }
    }

    /// As `PolicyOwner.kind` spells it.
    var kind: String {
        switch self {
        case .users: "user"
        case .groups: "group"
        case .roles: "role"
        }
    }
}
