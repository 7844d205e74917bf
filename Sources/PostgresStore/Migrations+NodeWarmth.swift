/// What each node has warm: its idle environments by function revision (`NodeLoad.warm`, JSON), written at every
/// heartbeat and read by the other nodes' `WarmRouter` to forward a sync invoke rather than cold-start; and the
/// provisioned environments each node keeps (`NodeLoad.provisioned`, JSON), summed by any node for a configuration's
/// status.
extension Migrations {
    static let nodeWarmth: [Migration] = [
        Migration(id: "028-node-warmth", statements: [
            "ALTER TABLE cluster_nodes ADD COLUMN warmth TEXT NOT NULL DEFAULT '[]'",
        ]),
    ]

    static let nodeProvisioned: [Migration] = [
        Migration(id: "030-node-provisioned", statements: [
            "ALTER TABLE cluster_nodes ADD COLUMN provisioned TEXT NOT NULL DEFAULT '[]'",
        ]),
    ]
}
