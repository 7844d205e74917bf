/// EventBridge: buses, rules (a rule's targets and tags inside its definition), archives and replays, each as its
/// JSON definition; archived events as their text with the time they were received.
extension Migrations {
    static let events: [Migration] = [
        Migration(id: "012-events", statements: [
            """
            CREATE TABLE event_buses (
                name TEXT COLLATE "C" PRIMARY KEY,
                definition BYTEA NOT NULL)
            """,
            """
            CREATE TABLE event_rules (
                bus TEXT COLLATE "C" NOT NULL,
                name TEXT COLLATE "C" NOT NULL,
                definition BYTEA NOT NULL,
                PRIMARY KEY (bus, name))
            """,
            """
            CREATE TABLE event_archives (
                name TEXT COLLATE "C" PRIMARY KEY,
                definition BYTEA NOT NULL)
            """,
            """
            CREATE TABLE event_archive_events (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                archive TEXT COLLATE "C" NOT NULL,
                received_at BIGINT NOT NULL,
                event TEXT NOT NULL)
            """,
            "CREATE INDEX event_archive_events_by_time ON event_archive_events (archive, received_at, seq)",
            """
            CREATE TABLE event_replays (
                name TEXT COLLATE "C" PRIMARY KEY,
                definition BYTEA NOT NULL)
            """,
        ]),
    ]
}
