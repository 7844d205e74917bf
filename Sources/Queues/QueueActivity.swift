/// What happened on a queue, for CloudWatch's AWS/SQS counters (NumberOfMessagesSent/Received/Deleted,
/// NumberOfEmptyReceives, SentMessageSize). Told synchronously: observers must be quick.
public enum QueueActivity: Sendable {
    /// Messages stored (duplicates a FIFO queue dropped are still counted as sent, as SQS counts them), with their
    /// body sizes in bytes.
    case sent(queue: String, sizes: [Int])
    case received(queue: String, count: Int)
    case emptyReceive(queue: String)
    case deleted(queue: String, count: Int)
}
