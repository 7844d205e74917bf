import GRDB

extension Migrations {
    /// EventBridge: buses and rules (a rule's targets and tags inside its definition), each as its JSON definition.
    static func events(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE event_buses (
              name TEXT PRIMARY KEY,
              definition BLOB NOT NULL);
            CREATE TABLE event_rules (
              bus TEXT NOT NULL,
              name TEXT NOT NULL,
              definition BLOB NOT NULL,
              PRIMARY KEY (bus, name));
            """)
    }
}
