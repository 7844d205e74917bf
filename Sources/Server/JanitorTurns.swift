import Catalog
import Foundation

/// Whose turn a retention job is. On one node, always this node's; in a cluster, the node holding the job's work lease
/// (`WorkLeaseStore`, kind `janitor:<job>`, one item): the first node to ask takes it and keeps it by asking again at
/// each run, so a job runs on one node at a time, and another node takes it once the holder stopped asking for
/// `lease` (it left or died). A node that cannot reach the store skips its turn.
struct JanitorTurns: Sendable {
    let leases: (any WorkLeaseStore)?
    let node: String

    static let alone = JanitorTurns(leases: nil, node: "")

    func turn(of job: String, lease: TimeInterval) -> @Sendable () async -> Bool {
        guard let leases else { return { true } }
        let node = self.node
        return {
            let now = Date()
            let held = try? await leases.claimWork(kind: "janitor:" + job, items: [job], node: node, now: now,
                                                   until: now.addingTimeInterval(lease))
            return held?.contains(job) ?? false
        }
    }
}
