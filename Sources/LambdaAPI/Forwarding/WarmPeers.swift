/// Other nodes of a cluster with a function revision warm, as `InvokeForwarder` asks for them (the server hands it
/// the cluster's `WarmRouter`).
public protocol WarmPeers: Sendable {
    /// A node (`http://host:port`) with an idle environment of exactly this revision that may take one more forward;
    /// nil when none. What it answers is given back with `release` once the forward is over.
    func claim(function: String, version: String, revisionId: String) -> String?
    func release(_ address: String, function: String, version: String, revisionId: String)
    /// A forward to `address` failed: leave it out for a while.
    func suspend(_ address: String)
}
