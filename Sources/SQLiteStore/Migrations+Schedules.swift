import GRDB

extension Migrations {
    /// The timer engine's durable timers (every kind), and EventBridge Scheduler's groups and schedules
    /// (each the whole validated definition as JSON).
    static func schedules(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE timers (
              kind TEXT NOT NULL,
              id TEXT NOT NULL,
              due_at INTEGER NOT NULL,
              PRIMARY KEY (kind, id));
            CREATE TABLE scheduler_groups (
              name TEXT PRIMARY KEY,
              definition BLOB NOT NULL);
            CREATE TABLE scheduler_schedules (
              group_name TEXT NOT NULL,
              name TEXT NOT NULL,
              definition BLOB NOT NULL,
              PRIMARY KEY (group_name, name));
            """)
    }
}
