/// What each node has warm: its idle environments by function revision (`NodeLoad.warm`, JSON), written at every
/// heartbeat and read by the other nodes' `WarmRouter` to forward a sync invoke rather than cold-start.
extension Migrations {
    static let nodeWarmth: [Migration] = [
        Migration(id: "028-node-warmth", statements: [
            "ALTER TABLE cluster_nodes ADD COLUMN warmth TEXT NOT NULL DEFAULT '[]'",
        ]),
    ]
}
