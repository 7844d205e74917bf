/// Lambda's catalog: functions, tags, versions, aliases, layers, concurrency, resource policies, function URLs.
/// Definitions are the domain types' JSON as `BYTEA` (one row is one consistent revision, as in SQLite); names
/// compare in the "C" collation so listings sort by code point, as SQLite's do.
extension Migrations {
    static let catalog: [Migration] = [
        Migration(id: "001-functions", statements: [
            """
            CREATE TABLE functions (
                name TEXT COLLATE "C" PRIMARY KEY,
                revision_id TEXT NOT NULL,
                code_digest TEXT NOT NULL,
                code_size BIGINT NOT NULL,
                -- Highest version number ever published: numbers are never reused.
                last_version BIGINT NOT NULL DEFAULT 0,
                definition BYTEA NOT NULL)
            """,
            """
            CREATE TABLE function_tags (
                function_name TEXT COLLATE "C" NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
                key TEXT COLLATE "C" NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (function_name, key))
            """,
        ]),
        Migration(id: "002-releases", statements: [
            """
            CREATE TABLE function_versions (
                function_name TEXT COLLATE "C" NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
                version BIGINT NOT NULL,
                code_digest TEXT NOT NULL,
                code_size BIGINT NOT NULL,
                definition BYTEA NOT NULL,
                PRIMARY KEY (function_name, version))
            """,
            """
            CREATE TABLE aliases (
                function_name TEXT COLLATE "C" NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
                name TEXT COLLATE "C" NOT NULL,
                definition BYTEA NOT NULL,
                PRIMARY KEY (function_name, name))
            """,
            """
            CREATE TABLE layer_versions (
                layer_name TEXT COLLATE "C" NOT NULL,
                version BIGINT NOT NULL,
                code_digest TEXT NOT NULL,
                code_size BIGINT NOT NULL,
                definition BYTEA NOT NULL,
                PRIMARY KEY (layer_name, version))
            """,
            """
            CREATE TABLE layer_counters (
                layer_name TEXT COLLATE "C" PRIMARY KEY,
                last_version BIGINT NOT NULL)
            """,
            """
            CREATE TABLE reserved_concurrency (
                function_name TEXT COLLATE "C" PRIMARY KEY REFERENCES functions (name) ON DELETE CASCADE,
                reserved BIGINT NOT NULL)
            """,
            """
            CREATE TABLE provisioned_concurrency (
                function_name TEXT COLLATE "C" NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
                qualifier TEXT COLLATE "C" NOT NULL,
                definition BYTEA NOT NULL,
                PRIMARY KEY (function_name, qualifier))
            """,
            """
            -- `function:<name>`, `function:<name>:<qualifier>` or `layer:<name>:<version>`.
            CREATE TABLE policies (
                resource TEXT COLLATE "C" PRIMARY KEY,
                revision_id TEXT NOT NULL,
                document BYTEA NOT NULL)
            """,
        ]),
        Migration(id: "003-function-urls", statements: [
            """
            -- One config per function and qualifier (`$LATEST` for the unqualified function); the url id is the
            -- endpoint's identity. An alias's row is deleted with the alias (`deleteAlias`).
            CREATE TABLE function_url_configs (
                url_id TEXT COLLATE "C" PRIMARY KEY,
                function_name TEXT COLLATE "C" NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
                qualifier TEXT COLLATE "C" NOT NULL,
                definition BYTEA NOT NULL,
                UNIQUE (function_name, qualifier))
            """,
        ]),
    ]
}
