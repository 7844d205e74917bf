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
        return migrator
    }
}
