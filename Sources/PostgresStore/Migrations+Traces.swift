/// X-Ray traces: one row per trace (its id's time, the span of its segments, when it was last written, for time-range
/// listings and retention) and one per segment document. `id_time` is whole seconds, kept as a double so listings
/// compare it with their cursor's time directly.
extension Migrations {
    static let traces: [Migration] = [
        Migration(id: "023-traces", statements: [
            """
            CREATE TABLE traces (
                trace_id TEXT COLLATE "C" PRIMARY KEY,
                id_time DOUBLE PRECISION NOT NULL,
                start_time DOUBLE PRECISION NOT NULL,
                end_time DOUBLE PRECISION NOT NULL,
                received_at BIGINT NOT NULL)
            """,
            "CREATE INDEX traces_by_id_time ON traces (id_time, trace_id)",
            "CREATE INDEX traces_by_start ON traces (start_time, trace_id)",
            "CREATE INDEX traces_by_received ON traces (received_at)",
            """
            CREATE TABLE trace_segments (
                trace_id TEXT COLLATE "C" NOT NULL,
                id TEXT COLLATE "C" NOT NULL,
                parent_id TEXT COLLATE "C",
                subsegment BOOLEAN NOT NULL,
                start_time DOUBLE PRECISION NOT NULL,
                end_time DOUBLE PRECISION NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (trace_id, id))
            """,
        ]),
    ]
}
