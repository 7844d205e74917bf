/// Idle execution environments a node holds for one revision of one function version, as it reports at each
/// heartbeat: what another node's `WarmRouter` reads to forward a sync invoke there rather than cold-start.
public struct NodeWarmth: Sendable, Codable, Equatable, Hashable {
    public var function: String
    /// `$LATEST` or a published version number.
    public var version: String
    /// The function's RevisionId the environments were built from: only an invoke of exactly this revision may go there.
    public var revisionId: String
    /// Environments waiting for an invocation.
    public var idle: Int

    public init(function: String, version: String, revisionId: String, idle: Int) {
        self.function = function
        self.version = version
        self.revisionId = revisionId
        self.idle = idle
    }
}
