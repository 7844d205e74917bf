/// The one delivery path's waiting deliveries, shared by nodes: the whole `Delivery` as JSON, its due time and its
/// lease (until when, and which node holds it) as columns.
extension Migrations {
    static let deliveries: [Migration] = [
        Migration(id: "011-deliveries", statements: [
            """
            CREATE TABLE deliveries (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT COLLATE "C" NOT NULL UNIQUE,
                due_at BIGINT NOT NULL,
                -- Held until then by `lease_owner` (a node id); claimable again once it passed.
                lease_until BIGINT,
                lease_owner TEXT,
                definition BYTEA NOT NULL)
            """,
            "CREATE INDEX deliveries_by_due ON deliveries (due_at, seq)",
        ]),
    ]
}
