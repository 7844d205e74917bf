import GRDB

extension Migrations {
    /// EventBridge: buses, rules (a rule's targets and tags inside its definition), archives and replays, each as its
    /// JSON definition; archived events as their text with the time they were received.
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
            CREATE TABLE event_archives (
              name TEXT PRIMARY KEY,
              definition BLOB NOT NULL);
            CREATE TABLE event_archive_events (
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              archive TEXT NOT NULL,
              received_at INTEGER NOT NULL,
              event TEXT NOT NULL);
            CREATE INDEX event_archive_events_by_time ON event_archive_events (archive, received_at, seq);
            CREATE TABLE event_replays (
              name TEXT PRIMARY KEY,
              definition BLOB NOT NULL);
            """)
    }
}
