import Foundation

/// Work a cluster's nodes split between them, one node per item at a time (the pollers of event source mappings):
/// each node claims its fair share of the items under leases it renews; a node that stops renewing loses its items
/// when their leases expire, and a node that holds more than its share once others joined hands the rest back.
public protocol WorkLeaseStore: Sendable {
    /// Renews what `node` holds of `kind` among `items`, claims unheld (or expired) ones up to a fair share — the items
    /// divided by the nodes holding any, serving (the node registry) or claiming — and gives back what is beyond it; returns the items `node` holds.
    /// Items no longer in `items` are dropped.
    func claimWork(kind: String, items: Set<String>, node: String, now: Date, until: Date) async throws -> Set<String>
    /// Gives back everything `node` holds of `kind` (a node leaving).
    func releaseWork(kind: String, node: String) async throws
}
