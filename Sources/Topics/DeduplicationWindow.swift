/// A FIFO topic's deduplication ids of the last five minutes (in memory: a restart forgets them) and the message id
/// each got. Expired ids leave in the order they came, so a check costs no scan.
struct DeduplicationWindow {
    private var messageIds: [String: (messageId: String, expiresAt: Int64)] = [:]
    private var order: [(id: String, expiresAt: Int64)] = []
    private var head = 0

    /// The message id an unexpired earlier publish with this id got.
    mutating func seen(_ id: String, now: Int64) -> String? {
        expire(now: now)
        return messageIds[id]?.messageId
    }

    mutating func remember(_ id: String, messageId: String, until expiresAt: Int64) {
        messageIds[id] = (messageId, expiresAt)
        order.append((id, expiresAt))
    }

    private mutating func expire(now: Int64) {
        while head < order.count, order[head].expiresAt <= now {
            let entry = order[head]
            if messageIds[entry.id]?.expiresAt == entry.expiresAt { messageIds[entry.id] = nil }
            head += 1
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
