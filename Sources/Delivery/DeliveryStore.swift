/// Persistence of deliveries waiting for their target: durable from `enqueueDeliveries` until
/// `finishDeliveries`. Claims hold a lease so a crashed holder's deliveries run again after restart.
public protocol DeliveryStore: Sendable {
    /// Stores the deliveries in one transaction (all or none).
    func enqueueDeliveries(_ deliveries: [Delivery]) async throws
    /// Deliveries due at `now` and not leased, leased until `leaseUntil`, oldest due first.
    func claimDueDeliveries(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [Delivery]
    /// A failed attempt: counts it and makes the delivery due again at `dueAt` (the lease ends).
    func rescheduleDelivery(_ id: String, attempts: Int, dueAt: Int64) async throws
    /// Removes delivered (or given-up) deliveries.
    func finishDeliveries(_ ids: [String]) async throws
    /// Ends every lease (at start: the previous process is gone).
    func releaseDeliveryLeases() async throws
    /// The earliest due time of an unleased delivery, if any.
    func nextDeliveryDue() async throws -> Int64?
    /// How many deliveries are waiting (for metrics and health).
    func pendingDeliveryCount() async throws -> Int
}
