/// The cluster's nodes (one row each: where it is reached, its state, its last heartbeat and the load it reported
/// then) and the secrets every node of the cluster must share (root credentials, the identity key, …).
extension Migrations {
    static let nodes: [Migration] = [
        Migration(id: "025-nodes", statements: [
            """
            CREATE TABLE cluster_nodes (
                id TEXT COLLATE "C" PRIMARY KEY,
                address TEXT NOT NULL,
                -- serving, draining or stopped (NodeState).
                state TEXT COLLATE "C" NOT NULL,
                version TEXT NOT NULL,
                -- Milliseconds since 1970, by the node's clock.
                started_at BIGINT NOT NULL,
                heartbeat_at BIGINT NOT NULL,
                heartbeat_interval_ms BIGINT NOT NULL,
                capacity BIGINT NOT NULL,
                running BIGINT NOT NULL,
                environments BIGINT NOT NULL,
                idle_environments BIGINT NOT NULL)
            """,
            """
            CREATE TABLE cluster_secrets (
                name TEXT COLLATE "C" PRIMARY KEY,
                value BYTEA NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """,
        ]),
    ]
}
