/// What a node is taken to be when the cluster is looked at: its stored state, unless its heartbeats stopped
/// without a graceful shutdown, then dead.
public enum NodeCondition: String, Sendable, Equatable {
    case serving, draining, stopped
    /// Stopped beating while serving or draining (crashed, killed, cut off from the database): its leases expire by
    /// themselves and other nodes take its work over.
    case dead
}
