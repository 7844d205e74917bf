/// What a kind of timer does when it falls due: EventBridge rules (`rule`), Scheduler's schedules
/// (`schedule`). The engine calls it, then commits what it returns durably and atomically.
public protocol TimerHandler: Sendable {
    /// The timer `id` of this handler's kind fell due at `dueAt` (ms since 1970; `now` may be later after
    /// downtime). Returns what to deliver for this firing and when the timer next falls due (nil: it is
    /// finished and removed).
    func fire(id: String, dueAt: Int64, now: Int64) async -> TimerFiring
}
