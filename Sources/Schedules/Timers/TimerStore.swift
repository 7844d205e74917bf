import Delivery

/// One durable timer: `kind` names its handler, `id` is unique within the kind.
public struct TimerRecord: Sendable, Equatable, Hashable {
    public var kind: String
    public var id: String
    /// Ms since 1970.
    public var dueAt: Int64

    public init(kind: String, id: String, dueAt: Int64) {
        self.kind = kind
        self.id = id
        self.dueAt = dueAt
    }
}

/// A firing to commit: the timer's due time moves from `firedDueAt` to `firing.next` (or the timer goes)
/// only if it still is `firedDueAt`, together with the firing's deliveries.
public struct TimerCommit: Sendable, Equatable {
    public var kind: String
    public var id: String
    public var firedDueAt: Int64
    public var firing: TimerFiring

    public init(kind: String, id: String, firedDueAt: Int64, firing: TimerFiring) {
        self.kind = kind
        self.id = id
        self.firedDueAt = firedDueAt
        self.firing = firing
    }
}

/// Persistence of timers. A firing's deliveries and the timer's next due time commit in one transaction
/// with a compare-and-swap on the due time that fired: a crash after the commit never fires that time
/// again, a crash before it fires it at the next start.
public protocol TimerStore: Sendable {
    /// Every timer (at start).
    func allTimers() async throws -> [TimerRecord]
    /// Creates the timer or moves it to a new due time.
    func upsertTimer(_ timer: TimerRecord) async throws
    func deleteTimer(kind: String, id: String) async throws
    /// Commits the firings in one transaction; for each, whether it committed (false: the timer was moved
    /// or removed meanwhile, and the firing is discarded with its deliveries).
    func commitFirings(_ commits: [TimerCommit]) async throws -> [Bool]
}
