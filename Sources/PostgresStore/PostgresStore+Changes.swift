extension PostgresStore {
    /// The feed of configuration changes committed through any node on this database (migration 026's triggers), for
    /// this node's caches to drop what changed. It listens on a connection of this store's pool (one of its
    /// `pool_max`), so the store must be running; run the feed as a service of its own.
    ///
    /// - Parameter heartbeat: how often the listening connection is checked, and how long it has to answer before it
    ///   is taken for lost (a connection dropped without a word — a network partition — is noticed that way).
    public func changeFeed(heartbeat: Duration = .seconds(10)) -> ChangeFeed {
        ChangeFeed(client: client.pool, nodeId: nodeId, heartbeat: heartbeat, logger: logger)
    }
}
