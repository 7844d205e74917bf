extension Migrations {
    /// Concurrency slots leased by nodes (`ConcurrencyLeaseStore`): one row per pool and node.
    static let concurrencyLeases: [Migration] = [
        Migration(id: "027-concurrency-leases", statements: [
            """
            CREATE TABLE concurrency_leases (
                pool TEXT COLLATE "C" NOT NULL,
                node TEXT COLLATE "C" NOT NULL,
                slots INTEGER NOT NULL CHECK (slots > 0),
                expires_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (pool, node))
            """,
        ]),
    ]
}
