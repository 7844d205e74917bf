import GRDB

/// The schema, versioned in code: each migration runs once, in order, inside a transaction.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-functions") { db in
            try db.create(table: "functions") { t in
                t.primaryKey("name", .text)
                t.column("revision_id", .text).notNull()
                t.column("code_digest", .text).notNull()
                t.column("code_size", .integer).notNull()
                // The whole validated definition as JSON: one row is one consistent revision.
                t.column("definition", .blob).notNull()
            }
            try db.create(table: "function_tags") { t in
                t.column("function_name", .text).notNull().references("functions", column: "name", onDelete: .cascade)
                t.column("key", .text).notNull()
                t.column("value", .text).notNull()
                t.primaryKey(["function_name", "key"])
            }
        }
        migrator.registerMigration("v2-logs") { db in
            try db.create(table: "log_streams") { t in
                t.column("log_group", .text).notNull()
                t.column("name", .text).notNull()
                t.column("created", .integer).notNull()
                t.column("first_event", .integer)
                t.column("last_event", .integer)
                t.column("event_count", .integer).notNull().defaults(to: 0)
                t.primaryKey(["log_group", "name"])
            }
            try db.create(table: "log_events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("log_group", .text).notNull()
                t.column("stream", .text).notNull()
                t.column("timestamp", .integer).notNull()
                t.column("message", .text).notNull()
            }
            try db.create(index: "log_events_by_stream", on: "log_events", columns: ["log_group", "stream", "id"])
        }
        return migrator
    }
}
