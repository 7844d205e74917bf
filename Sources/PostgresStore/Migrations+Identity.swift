/// IAM. Names compare without case, as IAM's (and SQLite's `NOCASE`) do: ASCII letters only, through `iam_key`, which
/// every unique index and lookup uses. Entities are JSON definitions; relations are rows whose `seq` keeps the order
/// they were added in (members and attachments are listed in that order).
extension Migrations {
    static let identity: [Migration] = [
        Migration(id: "020-identity", statements: [
            """
            CREATE FUNCTION iam_key(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            AS $$ SELECT lower($1 COLLATE "C") $$
            """,
            """
            CREATE TABLE iam_users (
                name TEXT COLLATE "C" NOT NULL,
                unique_id TEXT COLLATE "C" NOT NULL UNIQUE,
                definition BYTEA NOT NULL)
            """,
            "CREATE UNIQUE INDEX iam_users_by_key ON iam_users (iam_key(name))",
            """
            CREATE TABLE iam_groups (
                name TEXT COLLATE "C" NOT NULL,
                unique_id TEXT COLLATE "C" NOT NULL UNIQUE,
                definition BYTEA NOT NULL)
            """,
            "CREATE UNIQUE INDEX iam_groups_by_key ON iam_groups (iam_key(name))",
            """
            CREATE TABLE iam_roles (
                name TEXT COLLATE "C" NOT NULL,
                unique_id TEXT COLLATE "C" NOT NULL UNIQUE,
                definition BYTEA NOT NULL)
            """,
            "CREATE UNIQUE INDEX iam_roles_by_key ON iam_roles (iam_key(name))",
            """
            CREATE TABLE iam_access_keys (
                access_key_id TEXT COLLATE "C" PRIMARY KEY,
                seq BIGINT GENERATED ALWAYS AS IDENTITY,
                user_name TEXT COLLATE "C" NOT NULL,
                -- AES-GCM under the identity key, the access key id as associated data: never the clear secret.
                sealed_secret BYTEA NOT NULL,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_used_at BIGINT,
                last_used_service TEXT,
                last_used_region TEXT)
            """,
            "CREATE INDEX iam_access_keys_by_user ON iam_access_keys (iam_key(user_name))",
            """
            CREATE TABLE iam_group_members (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                group_name TEXT COLLATE "C" NOT NULL,
                user_name TEXT COLLATE "C" NOT NULL)
            """,
            "CREATE UNIQUE INDEX iam_group_members_by_key ON iam_group_members (iam_key(group_name), iam_key(user_name))",
            "CREATE INDEX iam_group_members_by_user ON iam_group_members (iam_key(user_name))",
            """
            CREATE TABLE iam_inline_policies (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                owner_kind TEXT COLLATE "C" NOT NULL,
                owner_name TEXT COLLATE "C" NOT NULL,
                policy_name TEXT COLLATE "C" NOT NULL,
                document TEXT NOT NULL)
            """,
            "CREATE UNIQUE INDEX iam_inline_policies_by_key ON iam_inline_policies (owner_kind, iam_key(owner_name), policy_name)",
            """
            CREATE TABLE iam_managed_policies (
                arn TEXT COLLATE "C" PRIMARY KEY,
                name TEXT COLLATE "C" NOT NULL,
                definition BYTEA NOT NULL)
            """,
            "CREATE UNIQUE INDEX iam_managed_policies_by_key ON iam_managed_policies (iam_key(name))",
            """
            CREATE TABLE iam_policy_attachments (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                owner_kind TEXT COLLATE "C" NOT NULL,
                owner_name TEXT COLLATE "C" NOT NULL,
                policy_arn TEXT COLLATE "C" NOT NULL)
            """,
            "CREATE UNIQUE INDEX iam_policy_attachments_by_key ON iam_policy_attachments (owner_kind, iam_key(owner_name), policy_arn)",
            "CREATE INDEX iam_policy_attachments_by_policy ON iam_policy_attachments (policy_arn)",
        ]),
    ]
}
