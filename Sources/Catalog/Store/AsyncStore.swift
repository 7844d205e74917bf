import Foundation

/// Persistence of asynchronous invocation: the durable event queue and the per-qualifier settings.
public protocol AsyncStore: Sendable {
    /// Durably stores the event (the 202 is sent after this returns).
    func enqueue(_ event: AsyncEvent) async throws
    /// Up to `limit` events due by `now` that nobody holds, leased until `leaseUntil`.
    func claimDueEvents(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [AsyncEvent]
    /// Puts a claimed event back to run at `dueAt` after `attempts` attempts.
    func reschedule(_ id: String, attempts: Int, dueAt: Int64) async throws
    /// Removes a finished event.
    func finish(_ id: String) async throws
    /// Releases every lease (at startup: whoever held them is gone).
    func releaseLeases() async throws
    /// The earliest due time of an event nobody holds.
    func nextDue() async throws -> Int64?

    func putEventInvokeConfig(_ config: EventInvokeConfig) async throws
    func eventInvokeConfig(of functionName: String, qualifier: String) async throws -> EventInvokeConfig?
    func eventInvokeConfigs(of functionName: String) async throws -> [EventInvokeConfig]
    /// False when there was none.
    func deleteEventInvokeConfig(of functionName: String, qualifier: String) async throws -> Bool
}
