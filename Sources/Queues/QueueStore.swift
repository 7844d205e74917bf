import Foundation

/// A message handed out by a receive, with what the receive changed.
public struct ReceivedMessage: Sendable, Equatable {
    public var message: StoredMessage
    public var receipt: String

    public init(message: StoredMessage, receipt: String) {
        self.message = message
        self.receipt = receipt
    }
}

/// Message counts of a queue at one instant.
public struct QueueCounts: Sendable, Equatable {
    public var visible: Int
    public var inFlight: Int
    public var delayed: Int

    public init(visible: Int, inFlight: Int, delayed: Int) {
        self.visible = visible
        self.inFlight = inFlight
        self.delayed = delayed
    }
}

/// What a delete did.
public enum MessageDeletion: Sendable, Equatable {
    case deleted
    /// No such message (any more).
    case absent
    /// The message is there, but the receipt is not its latest one or its lease ended.
    case staleReceipt
}

/// Persistence of queues and their messages. Every method is one transaction.
public protocol QueueStore: Sendable {
    /// Creates the queue, or returns the existing one unchanged.
    func createQueue(_ queue: QueueDefinition) async throws -> QueueDefinition
    func queue(named name: String) async throws -> QueueDefinition?
    func queues(prefix: String?) async throws -> [QueueDefinition]
    func replaceQueue(_ queue: QueueDefinition) async throws
    /// Deletes the queue and its messages; false when absent.
    func deleteQueue(named name: String) async throws -> Bool

    /// Stores the messages; returns, for each, the message that stands for it: itself with its sequence number
    /// (FIFO), or — a send `deduplication` recognizes as repeated — the earlier message, which is not stored again.
    func sendMessages(_ messages: [StoredMessage], to queue: String, deduplication: Deduplication?) async throws -> [StoredMessage]
    /// Up to `limit` visible messages, made invisible until `now + visibility` with a new receipt each.
    /// Messages already received `redrive.maxReceiveCount` times move to `redrive.queue` instead. With
    /// `fifo`, in send order within each message group, and none of a group that has a message in flight or an
    /// earlier one not yet visible.
    func receiveMessages(from queue: String, limit: Int, now: Int64, visibilityMs: Int64,
                         redrive: (queue: String, maxReceiveCount: Int)?, retentionMs: Int64, fifo: Bool) async throws -> [ReceivedMessage]
    /// A FIFO receive retried with the same attempt id: the messages the first one handed out, leased again until
    /// `now + visibility` under the same receipts — nil when there was no such receive in the last five minutes or
    /// one of its messages was deleted, received again or had its visibility changed since.
    func repeatReceive(from queue: String, attemptId: String, now: Int64, visibilityMs: Int64) async throws -> [ReceivedMessage]?
    /// Remembers what a receive with `attemptId` handed out, until `expiresAt`.
    func rememberReceive(in queue: String, attemptId: String, received: [ReceivedMessage], expiresAt: Int64) async throws
    /// Deletes the message; with `receipt`, only while that is its latest receipt and it is in flight.
    func deleteMessage(from queue: String, id: String, receipt: String?, now: Int64) async throws -> MessageDeletion
    /// Deletes several messages in one transaction.
    func deleteMessages(from queue: String, ids: [String]) async throws
    /// Sets the visibility of an in-flight message whose latest receipt is `receipt`; false when it is not in flight.
    func changeVisibility(in queue: String, id: String, receipt: String, visibleAt: Int64, now: Int64) async throws -> Bool
    func purge(queue: String) async throws
    func counts(of queue: String, now: Int64) async throws -> QueueCounts
    /// When the next invisible or delayed message becomes visible, if any.
    func nextVisibleAt(in queue: String, after now: Int64) async throws -> Int64?
}
