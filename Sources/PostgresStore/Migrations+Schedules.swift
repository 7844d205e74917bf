/// The timer engine's durable timers (every kind), and EventBridge Scheduler's groups and schedules (each the whole
/// validated definition as JSON).
extension Migrations {
    static let schedules: [Migration] = [
        Migration(id: "013-schedules", statements: [
            """
            CREATE TABLE timers (
                kind TEXT COLLATE "C" NOT NULL,
                id TEXT COLLATE "C" NOT NULL,
                due_at BIGINT NOT NULL,
                PRIMARY KEY (kind, id))
            """,
            """
            CREATE TABLE scheduler_groups (
                name TEXT COLLATE "C" PRIMARY KEY,
                definition BYTEA NOT NULL)
            """,
            """
            CREATE TABLE scheduler_schedules (
                group_name TEXT COLLATE "C" NOT NULL,
                name TEXT COLLATE "C" NOT NULL,
                definition BYTEA NOT NULL,
                PRIMARY KEY (group_name, name))
            """,
        ]),
    ]
}
