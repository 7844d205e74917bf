/// The asynchronous events of one function that were accepted and have not finished (waiting, leased or waiting for a
/// retry): what the `swiftlet_async_events` and `…_oldest_age_seconds` gauges show.
public struct AsyncBacklog: Sendable, Equatable {
    public var functionName: String
    public var events: Int
    /// Epoch milliseconds when the oldest of them was accepted.
    public var oldestEnqueuedAt: Int64

    public init(functionName: String, events: Int, oldestEnqueuedAt: Int64) {
        self.functionName = functionName
        self.events = events
        self.oldestEnqueuedAt = oldestEnqueuedAt
    }
}
