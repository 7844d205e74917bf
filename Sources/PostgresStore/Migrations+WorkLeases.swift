extension Migrations {
    /// Work split between nodes (`WorkLeaseStore`): one row per item, held by one node until its lease expires.
    static let workLeases: [Migration] = [
        Migration(id: "029-work-leases", statements: [
            """
            CREATE TABLE work_leases (
                kind TEXT COLLATE "C" NOT NULL,
                item TEXT COLLATE "C" NOT NULL,
                node TEXT COLLATE "C" NOT NULL,
                expires_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (kind, item))
            """,
        ]),
    ]
}
