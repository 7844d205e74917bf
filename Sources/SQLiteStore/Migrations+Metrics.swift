import GRDB

extension Migrations {
    /// CloudWatch metrics: one row per metric (its canonical key), one per metric, resolution, period start and
    /// unit with the period's aggregate and percentile sketch; metric alarms (one document each) and their history.
    static func metrics(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE metric_series (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              key TEXT NOT NULL UNIQUE,
              namespace TEXT NOT NULL,
              name TEXT NOT NULL,
              dimensions TEXT NOT NULL,
              last_point INTEGER NOT NULL);
            CREATE INDEX metric_series_by_name ON metric_series (namespace, name);
            CREATE TABLE metric_points (
              series_id INTEGER NOT NULL REFERENCES metric_series(id) ON DELETE CASCADE,
              resolution INTEGER NOT NULL,
              start INTEGER NOT NULL,
              unit TEXT NOT NULL,
              sample_count REAL NOT NULL,
              sum REAL NOT NULL,
              minimum REAL NOT NULL,
              maximum REAL NOT NULL,
              statistic_sets INTEGER NOT NULL,
              sketch BLOB NOT NULL,
              PRIMARY KEY (series_id, resolution, start, unit)) WITHOUT ROWID;
            CREATE INDEX metric_points_by_age ON metric_points (resolution, start);
            CREATE TABLE metric_alarms (
              name TEXT PRIMARY KEY,
              document BLOB NOT NULL,
              tags TEXT NOT NULL DEFAULT '{}');
            CREATE TABLE alarm_history (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              name TEXT NOT NULL,
              timestamp REAL NOT NULL,
              document BLOB NOT NULL);
            CREATE INDEX alarm_history_by_time ON alarm_history (timestamp);
            """)
    }
}
