/// CloudWatch Logs: groups and streams get integer ids that events refer to, which keeps each event row small.
/// A message is stored as `SQLiteStore` stores it: the platform's START/END/REPORT lines as `CompactLogLine` bytes in
/// `compact`, every other line as text in `text_message` (exactly one of the two is set), the ingestion time as its
/// lag behind the event's time. PostgreSQL's text cannot hold a NUL character: the rare line with one is kept as its
/// UTF-8 bytes in `raw_message` instead (offered to every text search, as compact lines of a matching kind are). A GIN trigram index (`pg_trgm`, part of Debian's `postgresql` package) over the text
/// rows narrows FilterLogEvents. Deleted groups and streams leave their events to `log_purges`, removed in batches.
/// Metric and subscription filters are one JSON document per group and filter name.
extension Migrations {
    static let logs: [Migration] = [
        Migration(id: "022-logs", statements: [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            """
            CREATE TABLE log_groups (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name TEXT COLLATE "C" NOT NULL UNIQUE,
                created BIGINT NOT NULL,
                retention_days INTEGER,
                -- JSON, keys sorted.
                tags TEXT NOT NULL DEFAULT '{}')
            """,
            """
            CREATE TABLE log_streams (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                group_id BIGINT NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
                name TEXT COLLATE "C" NOT NULL,
                created BIGINT NOT NULL,
                first_event BIGINT,
                last_event BIGINT,
                last_ingestion BIGINT,
                stored_bytes BIGINT NOT NULL DEFAULT 0,
                sequence BIGINT NOT NULL DEFAULT 0,
                UNIQUE (group_id, name))
            """,
            "CREATE INDEX log_streams_by_last_event ON log_streams (group_id, (COALESCE(last_event, 0)), name)",
            """
            CREATE TABLE log_entries (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                group_id BIGINT NOT NULL,
                stream_id BIGINT NOT NULL,
                event_time BIGINT NOT NULL,
                ingest_lag BIGINT NOT NULL,
                text_message TEXT COLLATE "C",
                compact BYTEA,
                raw_message BYTEA,
                CHECK (num_nonnulls(text_message, compact, raw_message) = 1))
            """,
            "CREATE INDEX log_entries_by_stream ON log_entries (stream_id, event_time, id)",
            "CREATE INDEX log_entries_by_group ON log_entries (group_id, event_time, id)",
            "CREATE INDEX log_entries_text ON log_entries USING gin (text_message gin_trgm_ops) WHERE text_message IS NOT NULL",
            // FilterLogEvents' candidates that are not in the trigram index, in time order.
            "CREATE INDEX log_entries_compact ON log_entries (group_id, event_time, id) WHERE compact IS NOT NULL",
            "CREATE INDEX log_entries_raw ON log_entries (group_id, event_time, id) WHERE raw_message IS NOT NULL",
            """
            CREATE TABLE log_purges (
                kind TEXT COLLATE "C" NOT NULL,
                owner_id BIGINT NOT NULL,
                PRIMARY KEY (kind, owner_id))
            """,
            """
            CREATE TABLE log_metric_filters (
                log_group TEXT COLLATE "C" NOT NULL,
                name TEXT COLLATE "C" NOT NULL,
                document BYTEA NOT NULL,
                PRIMARY KEY (log_group, name))
            """,
            """
            CREATE TABLE log_subscription_filters (
                log_group TEXT COLLATE "C" NOT NULL,
                name TEXT COLLATE "C" NOT NULL,
                document BYTEA NOT NULL,
                PRIMARY KEY (log_group, name))
            """,
        ]),
    ]
}
