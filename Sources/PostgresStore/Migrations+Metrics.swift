/// CloudWatch metrics: one row per metric (its canonical key), one per metric, resolution, period start and unit with
/// the period's aggregate and percentile sketch; alarms — metric and composite in one name space, told apart by
/// `kind` — one document each, and their history. Metric and alarm names may hold any character, NUL included (which
/// `TEXT` refuses): they are kept as their UTF-8 bytes, which also sort by code point.
extension Migrations {
    static let metrics: [Migration] = [
        Migration(id: "015-metrics", statements: [
            """
            CREATE TABLE metric_series (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                key BYTEA NOT NULL UNIQUE,
                namespace BYTEA NOT NULL,
                name BYTEA NOT NULL,
                dimensions TEXT NOT NULL,
                last_point BIGINT NOT NULL)
            """,
            "CREATE INDEX metric_series_by_name ON metric_series (namespace, name)",
            """
            CREATE TABLE metric_points (
                series_id BIGINT NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
                resolution BIGINT NOT NULL,
                start BIGINT NOT NULL,
                unit TEXT COLLATE "C" NOT NULL,
                sample_count DOUBLE PRECISION NOT NULL,
                sum DOUBLE PRECISION NOT NULL,
                minimum DOUBLE PRECISION NOT NULL,
                maximum DOUBLE PRECISION NOT NULL,
                statistic_sets BOOLEAN NOT NULL,
                sketch BYTEA NOT NULL,
                PRIMARY KEY (series_id, resolution, start, unit))
            """,
            "CREATE INDEX metric_points_by_age ON metric_points (resolution, start)",
            """
            CREATE TABLE metric_alarms (
                name BYTEA PRIMARY KEY,
                kind TEXT NOT NULL,
                document BYTEA NOT NULL,
                tags TEXT NOT NULL DEFAULT '{}')
            """,
            """
            CREATE TABLE alarm_history (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name BYTEA NOT NULL,
                timestamp DOUBLE PRECISION NOT NULL,
                document BYTEA NOT NULL)
            """,
            "CREATE INDEX alarm_history_by_time ON alarm_history (timestamp)",
        ]),
    ]
}
