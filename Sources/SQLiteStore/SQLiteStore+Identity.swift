import Foundation
import GRDB
import Identity

/// IAM in SQLite: entities as JSON definitions keyed by name (compared without case), relations as rows.
extension SQLiteStore: IdentityStore {
    public func loadIdentity() async throws -> StoredIdentity {
        try await pool.read { db in
            var stored = StoredIdentity()
            stored.users = try Data.fetchAll(db, sql: "SELECT definition FROM iam_users ORDER BY name").map { try Self.decode(IAMUser.self, $0) }
            stored.groups = try Data.fetchAll(db, sql: "SELECT definition FROM iam_groups ORDER BY name").map { try Self.decode(IAMGroup.self, $0) }
            stored.roles = try Data.fetchAll(db, sql: "SELECT definition FROM iam_roles ORDER BY name").map { try Self.decode(IAMRole.self, $0) }
            stored.managedPolicies = try Data.fetchAll(db, sql: "SELECT definition FROM iam_managed_policies ORDER BY name")
                .map { try Self.decode(ManagedPolicy.self, $0) }
            stored.accessKeys = try Row.fetchAll(db, sql: "SELECT * FROM iam_access_keys ORDER BY created_at").map(Self.accessKey)
            stored.memberships = try Row.fetchAll(db, sql: "SELECT group_name, user_name FROM iam_group_members ORDER BY rowid").map {
                GroupMembership(groupName: $0["group_name"], userName: $0["user_name"])
            }
            stored.inlinePolicies = try Row.fetchAll(db, sql: "SELECT * FROM iam_inline_policies ORDER BY rowid").compactMap { row in
                PolicyOwner(kind: row["owner_kind"], name: row["owner_name"]).map {
                    InlinePolicy(owner: $0, name: row["policy_name"], document: row["document"])
                }
            }
            stored.attachments = try Row.fetchAll(db, sql: "SELECT * FROM iam_policy_attachments ORDER BY rowid").compactMap { row in
                PolicyOwner(kind: row["owner_kind"], name: row["owner_name"]).map { PolicyAttachment(owner: $0, policyArn: row["policy_arn"]) }
            }
            return stored
        }
    }

    // MARK: Users, groups, roles

    public func insertUser(_ user: IAMUser) async throws {
        try await insertEntity("iam_users", name: user.name, uniqueId: user.userId, try Self.encode(user))
    }

    public func replaceUser(named previousName: String, with user: IAMUser) async throws {
        try await replaceEntity("iam_users", kind: "user", previousName: previousName, name: user.name, try Self.encode(user)) { db in
            try db.execute(sql: "UPDATE iam_access_keys SET user_name = ? WHERE user_name = ?", arguments: [user.name, previousName])
            try db.execute(sql: "UPDATE iam_group_members SET user_name = ? WHERE user_name = ?", arguments: [user.name, previousName])
        }
    }

    public func deleteUser(named name: String) async throws {
        try await deleteEntity("iam_users", kind: "user", name: name) { db in
            try db.execute(sql: "DELETE FROM iam_access_keys WHERE user_name = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM iam_group_members WHERE user_name = ?", arguments: [name])
        }
    }

    public func insertGroup(_ group: IAMGroup) async throws {
        try await insertEntity("iam_groups", name: group.name, uniqueId: group.groupId, try Self.encode(group))
    }

    public func replaceGroup(named previousName: String, with group: IAMGroup) async throws {
        try await replaceEntity("iam_groups", kind: "group", previousName: previousName, name: group.name, try Self.encode(group)) { db in
            try db.execute(sql: "UPDATE iam_group_members SET group_name = ? WHERE group_name = ?", arguments: [group.name, previousName])
        }
    }

    public func deleteGroup(named name: String) async throws {
        try await deleteEntity("iam_groups", kind: "group", name: name) { db in
            try db.execute(sql: "DELETE FROM iam_group_members WHERE group_name = ?", arguments: [name])
        }
    }

    public func insertRole(_ role: IAMRole) async throws {
        try await insertEntity("iam_roles", name: role.name, uniqueId: role.roleId, try Self.encode(role))
    }

    public func replaceRole(_ role: IAMRole) async throws {
        try await replaceEntity("iam_roles", kind: "role", previousName: role.name, name: role.name, try Self.encode(role)) { _ in }
    }

    public func deleteRole(named name: String) async throws {
        try await deleteEntity("iam_roles", kind: "role", name: name) { _ in }
    }

    public func addUser(_ userName: String, toGroup groupName: String) async throws {
        try await pool.write { db in
            try Self.requireRow(db, "iam_users", name: userName)
            try Self.requireRow(db, "iam_groups", name: groupName)
            try db.execute(sql: "INSERT OR IGNORE INTO iam_group_members (group_name, user_name) VALUES (?, ?)",
                           arguments: [groupName, userName])
        }
    }

    public func removeUser(_ userName: String, fromGroup groupName: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM iam_group_members WHERE group_name = ? AND user_name = ?", arguments: [groupName, userName])
            if db.changesCount == 0 { throw IdentityStoreError.notFound("user \(userName) in group \(groupName)") }
        }
    }

    // MARK: Access keys

    public func insertAccessKey(_ key: SealedAccessKey) async throws {
        try await pool.write { db in
            try Self.requireRow(db, "iam_users", name: key.userName)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM iam_access_keys WHERE access_key_id = ?", arguments: [key.accessKeyId]) == true {
                throw IdentityStoreError.alreadyExists("access key \(key.accessKeyId)")
            }
            try db.execute(sql: """
                INSERT INTO iam_access_keys (access_key_id, user_name, sealed_secret, status, created_at, last_used_at,
                    last_used_service, last_used_region) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key.accessKeyId, key.userName, Data(key.sealedSecret), key.status.rawValue, Self.millis(key.createDate),
                                 key.lastUsed.map { Self.millis($0.date) }, key.lastUsed?.serviceName, key.lastUsed?.region])
        }
    }

    public func setAccessKeyStatus(_ accessKeyId: String, to status: AccessKey.Status) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE iam_access_keys SET status = ? WHERE access_key_id = ?", arguments: [status.rawValue, accessKeyId])
            if db.changesCount == 0 { throw IdentityStoreError.notFound("access key \(accessKeyId)") }
        }
    }

    public func deleteAccessKey(_ accessKeyId: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM iam_access_keys WHERE access_key_id = ?", arguments: [accessKeyId])
            if db.changesCount == 0 { throw IdentityStoreError.notFound("access key \(accessKeyId)") }
        }
    }

    public func recordAccessKeyUse(_ uses: [String: AccessKeyLastUsed]) async throws {
        try await pool.write { db in
            let update = try db.cachedStatement(sql: """
                UPDATE iam_access_keys SET last_used_at = ?, last_used_service = ?, last_used_region = ? WHERE access_key_id = ?
                """)
            for (id, use) in uses {
                try update.execute(arguments: [Self.millis(use.date), use.serviceName, use.region, id])
            }
        }
    }

    // MARK: Policies

    public func putInlinePolicy(_ policyName: String, document: String, of owner: PolicyOwner) async throws {
        try await pool.write { db in
            try Self.requireRow(db, Self.table(of: owner), name: owner.name)
            try db.execute(sql: """
                INSERT INTO iam_inline_policies (owner_kind, owner_name, policy_name, document) VALUES (?, ?, ?, ?)
                ON CONFLICT (owner_kind, owner_name, policy_name) DO UPDATE SET document = excluded.document
                """, arguments: [owner.kind, owner.name, policyName, document])
        }
    }

    public func deleteInlinePolicy(_ policyName: String, of owner: PolicyOwner) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM iam_inline_policies WHERE owner_kind = ? AND owner_name = ? AND policy_name = ?",
                           arguments: [owner.kind, owner.name, policyName])
            if db.changesCount == 0 { throw IdentityStoreError.notFound("\(owner.kind) policy \(policyName)") }
        }
    }

    public func insertManagedPolicy(_ policy: ManagedPolicy) async throws {
        let blob = try Self.encode(policy)
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM iam_managed_policies WHERE arn = ? OR name = ?",
                                 arguments: [policy.arn, policy.name]) == true {
                throw IdentityStoreError.alreadyExists("policy \(policy.name)")
            }
            try db.execute(sql: "INSERT INTO iam_managed_policies (arn, name, definition) VALUES (?, ?, ?)",
                           arguments: [policy.arn, policy.name, blob])
        }
    }

    public func replaceManagedPolicy(_ policy: ManagedPolicy) async throws {
        let blob = try Self.encode(policy)
        try await pool.write { db in
            try db.execute(sql: "UPDATE iam_managed_policies SET definition = ? WHERE arn = ?", arguments: [blob, policy.arn])
            if db.changesCount == 0 { throw IdentityStoreError.notFound("policy \(policy.arn)") }
        }
    }

    public func deleteManagedPolicy(arn: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM iam_managed_policies WHERE arn = ?", arguments: [arn])
            if db.changesCount == 0 { throw IdentityStoreError.notFound("policy \(arn)") }
            try db.execute(sql: "DELETE FROM iam_policy_attachments WHERE policy_arn = ?", arguments: [arn])
        }
    }

    public func attachPolicy(_ policyArn: String, to owner: PolicyOwner) async throws {
        try await pool.write { db in
            try Self.requireRow(db, Self.table(of: owner), name: owner.name)
            try db.execute(sql: "INSERT OR IGNORE INTO iam_policy_attachments (owner_kind, owner_name, policy_arn) VALUES (?, ?, ?)",
                           arguments: [owner.kind, owner.name, policyArn])
        }
    }

    public func detachPolicy(_ policyArn: String, from owner: PolicyOwner) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM iam_policy_attachments WHERE owner_kind = ? AND owner_name = ? AND policy_arn = ?",
                           arguments: [owner.kind, owner.name, policyArn])
            if db.changesCount == 0 { throw IdentityStoreError.notFound("attachment of \(policyArn) to \(owner.kind) \(owner.name)") }
        }
    }

    // MARK: Helpers

    private func insertEntity(_ table: String, name: String, uniqueId: String, _ definition: Data) async throws {
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM \(table) WHERE name = ?", arguments: [name]) == true {
                throw IdentityStoreError.alreadyExists("\(table) \(name)")
            }
            try db.execute(sql: "INSERT INTO \(table) (name, unique_id, definition) VALUES (?, ?, ?)", arguments: [name, uniqueId, definition])
        }
    }

    /// Replaces the row of `previousName`; a rename also moves the entity's inline policies and attachments,
    /// and `dependents` moves whatever else refers to it.
    private func replaceEntity(_ table: String, kind: String, previousName: String, name: String, _ definition: Data,
                               dependents: @escaping @Sendable (Database) throws -> Void) async throws {
        try await pool.write { db in
            if name != previousName,
               let holder = try String.fetchOne(db, sql: "SELECT name FROM \(table) WHERE name = ?", arguments: [name]),
               holder != previousName {
                throw IdentityStoreError.alreadyExists("\(kind) \(name)")
            }
            try db.execute(sql: "UPDATE \(table) SET name = ?, definition = ? WHERE name = ?", arguments: [name, definition, previousName])
            if db.changesCount == 0 { throw IdentityStoreError.notFound("\(kind) \(previousName)") }
            guard name != previousName else { return }
            for relation in ["iam_inline_policies", "iam_policy_attachments"] {
                try db.execute(sql: "UPDATE \(relation) SET owner_name = ? WHERE owner_kind = ? AND owner_name = ?",
                               arguments: [name, kind, previousName])
            }
            try dependents(db)
        }
    }

    private func deleteEntity(_ table: String, kind: String, name: String,
                              dependents: @escaping @Sendable (Database) throws -> Void) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM \(table) WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw IdentityStoreError.notFound("\(kind) \(name)") }
            for relation in ["iam_inline_policies", "iam_policy_attachments"] {
                try db.execute(sql: "DELETE FROM \(relation) WHERE owner_kind = ? AND owner_name = ?", arguments: [kind, name])
            }
            try dependents(db)
        }
    }

    private static func requireRow(_ db: Database, _ table: String, name: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM \(table) WHERE name = ?", arguments: [name]) == true else {
            throw IdentityStoreError.notFound("\(table) \(name)")
        }
    }

    private static func table(of owner: PolicyOwner) -> String {
        switch owner {
        case .user: "iam_users"
        case .group: "iam_groups"
        case .role: "iam_roles"
        }
    }

    private static func accessKey(_ row: Row) throws -> SealedAccessKey {
        let lastUsedAt: Int64? = row["last_used_at"]
        let lastUsed = lastUsedAt.map {
            AccessKeyLastUsed(date: date($0), serviceName: row["last_used_service"] ?? "", region: row["last_used_region"] ?? "")
        }
        guard let status = AccessKey.Status(rawValue: row["status"]) else {
            throw IdentityStoreError.corrupt("access key \(row["access_key_id"] as String) has status \(row["status"] as String)")
        }
        return SealedAccessKey(accessKeyId: row["access_key_id"], userName: row["user_name"],
                               sealedSecret: Array(row["sealed_secret"] as Data), status: status,
                               createDate: date(row["created_at"]), lastUsed: lastUsed)
    }

    private static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }
}
