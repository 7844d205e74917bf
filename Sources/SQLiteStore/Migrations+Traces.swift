import GRDB

extension Migrations {
    /// X-Ray traces: one row per trace (its id's time, the span of its segments, when it was last written, for
    /// time-range listings and retention) and one per segment document.
    static func traces(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE traces (
              trace_id TEXT PRIMARY KEY,
              id_time INTEGER NOT NULL,
              start_time REAL NOT NULL,
              end_time REAL NOT NULL,
              received_at INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX traces_by_id_time ON traces (id_time, trace_id);
            CREATE INDEX traces_by_start ON traces (start_time, trace_id);
            CREATE INDEX traces_by_received ON traces (received_at);
            CREATE TABLE trace_segments (
              trace_id TEXT NOT NULL,
              id TEXT NOT NULL,
              parent_id TEXT,
              subsegment INTEGER NOT NULL,
              start_time REAL NOT NULL,
              end_time REAL NOT NULL,
              document TEXT NOT NULL,
              PRIMARY KEY (trace_id, id)) WITHOUT ROWID;
            """)
    }
}
