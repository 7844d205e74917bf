/// Asynchronous invocation: the durable event queue (claimed under leases that expire, so nodes share it), event
/// invoke configs, event source mappings.
extension Migrations {
    static let async: [Migration] = [
        Migration(id: "004-async", statements: [
            """
            CREATE TABLE async_events (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT COLLATE "C" NOT NULL UNIQUE,
                function_name TEXT COLLATE "C" NOT NULL,
                definition BYTEA NOT NULL,
                payload BYTEA NOT NULL,
                due_at BIGINT NOT NULL,
                -- Held until then by `lease_owner` (a node id); claimable again once it passed.
                lease_until BIGINT,
                lease_owner TEXT)
            """,
            "CREATE INDEX async_events_by_due ON async_events (due_at, seq)",
            """
            CREATE TABLE event_invoke_configs (
                function_name TEXT COLLATE "C" NOT NULL REFERENCES functions (name) ON DELETE CASCADE,
                qualifier TEXT COLLATE "C" NOT NULL,
                definition BYTEA NOT NULL,
                PRIMARY KEY (function_name, qualifier))
            """,
            """
            CREATE TABLE event_source_mappings (
                uuid TEXT COLLATE "C" PRIMARY KEY,
                function_name TEXT COLLATE "C" NOT NULL,
                definition BYTEA NOT NULL)
            """,
        ]),
    ]
}
