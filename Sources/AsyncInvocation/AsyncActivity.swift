/// What happened to asynchronous events, for CloudWatch's AsyncEventsReceived, AsyncEventAge, AsyncEventsDropped,
/// DestinationDeliveryFailures and DeadLetterErrors. Told synchronously: observers must be quick.
public enum AsyncActivity: Sendable {
    case received(function: String, qualifier: String?)
    /// An attempt is about to run, `ageMs` after the event was accepted.
    case attempted(function: String, qualifier: String?, ageMs: Int64)
    /// The event ended without a successful invocation (after its destination or dead-letter queue, if any).
    case dropped(function: String, qualifier: String?)
    case destinationDeliveryFailed(function: String, qualifier: String?)
    case deadLetterFailed(function: String, qualifier: String?)
}
