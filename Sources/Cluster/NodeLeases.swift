/// Leases one node holds on shared work and capacity, unexpired: what it claimed and has not finished, that no other
/// node takes until the lease ends.
public struct NodeLeases: Sendable, Equatable {
    /// Asynchronous invocation events.
    public var asyncEvents: Int
    /// Deliveries of the one delivery path (rule targets, subscriptions, schedules, destinations).
    public var deliveries: Int
    /// Slots of the cluster's concurrency pools (the account's, functions' reserved) the node may run invocations in.
    public var concurrencySlots: Int

    public var isEmpty: Bool { asyncEvents == 0 && deliveries == 0 && concurrencySlots == 0 }

    public init(asyncEvents: Int = 0, deliveries: Int = 0, concurrencySlots: Int = 0) {
        self.asyncEvents = asyncEvents
        self.deliveries = deliveries
        self.concurrencySlots = concurrencySlots
    }
}
