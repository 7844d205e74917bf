import Delivery

/// The outcome of one firing: the deliveries it produces and when the timer falls due next. The engine
/// commits both in one store transaction.
public struct TimerFiring: Sendable, Equatable {
    public var deliveries: [Delivery]
    /// The next due time (ms since 1970), later than the one that fired; nil removes the timer.
    public var next: Int64?
    /// The store also removes the record that owns the timer, in the same transaction (a one-time
    /// Scheduler schedule with `ActionAfterCompletion` `DELETE`). Only for kinds whose owner the store knows.
    public var removeOwner: Bool

    public init(deliveries: [Delivery] = [], next: Int64?, removeOwner: Bool = false) {
        self.deliveries = deliveries
        self.next = next
        self.removeOwner = removeOwner
    }
}
