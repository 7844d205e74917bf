import GRDB

extension Migrations {
    /// The one delivery path's waiting deliveries: the whole `Delivery` as JSON, due time and lease as columns.
    static func deliveries(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE deliveries (
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              id TEXT NOT NULL UNIQUE,
              due_at INTEGER NOT NULL,
              lease_until INTEGER,
              definition BLOB NOT NULL);
            CREATE INDEX deliveries_due ON deliveries (due_at, seq) WHERE lease_until IS NULL;
            """)
    }
}
