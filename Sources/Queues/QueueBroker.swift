import AWSProtocol
import Foundation
import Logging
import Synchronization

/// What a send accepted.
public struct SentMessage: Sendable, Equatable {
    public var messageId: String
    public var md5OfBody: String
    public var md5OfMessageAttributes: String?
    public var md5OfSystemAttributes: String?
    /// FIFO queues only.
    public var sequenceNumber: String?
}

/// One message to send.
public struct OutgoingMessage: Sendable {
    public var body: String
    public var delaySeconds: Int?
    public var attributes: [String: MessageAttributeValue]
    public var systemAttributes: [String: MessageAttributeValue]
    public var groupId: String?
    public var deduplicationId: String?

    public init(body: String, delaySeconds: Int? = nil, attributes: [String: MessageAttributeValue] = [:],
                systemAttributes: [String: MessageAttributeValue] = [:], groupId: String? = nil, deduplicationId: String? = nil) {
        self.body = body
        self.delaySeconds = delaySeconds
        self.attributes = attributes
        self.systemAttributes = systemAttributes
        self.groupId = groupId
        self.deduplicationId = deduplicationId
    }
}

/// The queue service's logic, independent of the wire: validation, visibility, delays, redrive and long
/// polling over a `QueueStore`. Used by the SQS API and, in-process, by Lambda (destinations, DLQs,
/// event source mappings).
public final class QueueBroker: Sendable {
    public let store: any QueueStore
    public let addressing: QueueAddressing
    let signals = WakeSignals()
    private let activityObserver = Mutex<(@Sendable (QueueActivity) -> Void)?>(nil)

    /// Told of sends, receives and deletes (set once while the server is wired).
    public func observeActivity(_ observer: @escaping @Sendable (QueueActivity) -> Void) {
        activityObserver.withLock { $0 = observer }
    }

    private func note(_ activity: QueueActivity) {
        activityObserver.withLock { $0 }?(activity)
    }
    /// When each queue was last purged: SQS allows one purge per queue every 60 seconds.
    private let purges = Mutex<[String: Int64]>([:])
    let clock: @Sendable () -> Int64
    let logger: Logger

    public static let maxWaitSeconds = 20
    public static let maxBatchEntries = 10

    /// With a store other nodes write to: how often a long poll looks again (their sends do not wake this node's
    /// receivers); nil: only when woken, or when a message becomes visible.
    let sharedStoreRecheck: Duration?

    public init(store: any QueueStore, addressing: QueueAddressing, logger: Logger, sharedStoreRecheck: Duration? = nil,
                clock: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }) {
        self.sharedStoreRecheck = sharedStoreRecheck
        self.store = store
        self.addressing = addressing
        self.logger = logger
        self.clock = clock
    }

    public var now: Int64 { clock() }

    // MARK: Queues

    /// CreateQueue: the existing queue when one of that name has the same attributes. A name ending in `.fifo`
    /// and `FifoQueue: true` go together.
    public func createQueue(name: String, attributes: [String: String], tags: [String: String]) async throws -> QueueDefinition {
        let fifo = name.hasSuffix(".fifo")
        if fifo || attributes["FifoQueue"]?.lowercased() == "true" {
            guard fifo, attributes["FifoQueue"]?.lowercased() == "true", QueueAddressing.isValidName(String(name.dropLast(5))),
                  name.utf8.count <= 80 else {
                throw QueueError.invalidParameterValue(
                    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.")
            }
        } else if !QueueAddressing.isValidName(name) {
            throw QueueError.invalidParameterValue(
                "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        }
        let merged = try QueueAttributes.initial(fifo: fifo).merging(attributes, deadLetter: try await deadLetter(attributes))
        let at = Date(timeIntervalSince1970: Double(now / 1000))
        let candidate = QueueDefinition(name: name, attributes: merged, tags: tags, created: at, lastModified: at)
        let stored = try await store.createQueue(candidate)
        if stored.attributes.effective != merged.effective {
            let differing = merged.effective.keys.sorted().first { stored.attributes.effective[$0] != merged.effective[$0] } ?? ""
            throw QueueError.queueNameExists("A queue already exists with the same name and a different value for attribute \(differing)")
        }
        return stored
    }

    /// The dead-letter queue a RedrivePolicy among `attributes` names, when it exists (looked up once, here).
    func deadLetter(_ attributes: [String: String]) async throws -> QueueDefinition? {
        guard let json = attributes["RedrivePolicy"], !json.isEmpty,
              let arn = (try? RedrivePolicy.parse(json))?.deadLetterTargetArn,
              let name = addressing.name(fromARN: arn) else { return nil }
        return try await store.queue(named: name)
    }

    public func queue(_ name: String) async throws -> QueueDefinition {
        guard let queue = try await store.queue(named: name) else { throw QueueError.queueDoesNotExist }
        return queue
    }

    /// The queue a `QueueUrl` names.
    public func queue(url: String?) async throws -> QueueDefinition {
        guard let url, !url.isEmpty else { throw QueueError.missingParameter("The request must contain the parameter QueueUrl.") }
        guard let name = addressing.name(fromURL: url) else { throw QueueError.queueDoesNotExist }
        return try await queue(name)
    }

    public func deleteQueue(_ name: String) async throws {
        guard try await store.deleteQueue(named: name) else { throw QueueError.queueDoesNotExist }
        signals.signal(name)
    }

    /// GetQueueAttributes: `All` or the named ones, computed ones included.
    public func attributes(of queue: QueueDefinition, names: [String]) async throws -> [String: String] {
        let wanted: Set<String>
        if names.contains("All") {
            wanted = QueueAttributes.all
        } else {
            for name in names where !QueueAttributes.all.contains(name) {
                throw QueueError.invalidAttributeName("Unknown Attribute \(name).")
            }
            wanted = Set(names)
        }
        guard !wanted.isEmpty else { return [:] }
        var out = queue.attributes.effective.filter { wanted.contains($0.key) }
        let counts = try await store.counts(of: queue.name, now: now)
        let computed: [String: String] = [
            "QueueArn": addressing.arn(queue.name),
            "ApproximateNumberOfMessages": String(counts.visible),
            "ApproximateNumberOfMessagesNotVisible": String(counts.inFlight),
            "ApproximateNumberOfMessagesDelayed": String(counts.delayed),
            "CreatedTimestamp": String(Int(queue.created.timeIntervalSince1970)),
            "LastModifiedTimestamp": String(Int(queue.lastModified.timeIntervalSince1970)),
            "SqsManagedSseEnabled": queue.attributes.values["SqsManagedSseEnabled"] ?? "false",
        ]
        for (name, value) in computed where wanted.contains(name) { out[name] = value }
        return out
    }

    /// SetQueueAttributes.
    public func setAttributes(of queue: QueueDefinition, _ attributes: [String: String]) async throws {
        for name in attributes.keys where QueueAttributes.readOnly.contains(name) {
            throw QueueError.invalidAttributeName("Unknown Attribute \(name).")
        }
        var next = queue
        next.attributes = try queue.attributes.merging(attributes, deadLetter: try await deadLetter(attributes))
        next.lastModified = Date(timeIntervalSince1970: Double(now / 1000))
        try await store.replaceQueue(next)
    }

    // MARK: Messages

    /// Checks a message against SQS's rules and the queue's size limit.
    public func check(_ message: OutgoingMessage, queue: QueueDefinition) throws(QueueError) {
        if message.body.isEmpty {
            throw .missingParameter("The request must contain the parameter MessageBody.")
        }
        for scalar in message.body.unicodeScalars {
            let v = scalar.value
            let allowed = v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v) || v >= 0x10000
            if !allowed {
                throw .invalidMessageContents
            }
        }
        if let delay = message.delaySeconds, !(0...900).contains(delay) {
            throw .invalidParameterValue("Value \(delay) for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.")
        }
        try checkOrdering(message, queue: queue)
        if message.attributes.count > 10 {
            throw .invalidParameterValue("Number of message attributes [\(message.attributes.count)] exceeds the allowed maximum [10].")
        }
        var size = message.body.utf8.count
        for (name, value) in message.attributes {
            guard !name.isEmpty, name.utf8.count <= 256, !name.lowercased().hasPrefix("aws."), !name.lowercased().hasPrefix("amazon."),
                  name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }) else {
                throw .invalidParameterValue("Message attribute name '\(name)' is invalid.")
            }
            let base = value.DataType.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
            guard ["String", "Number", "Binary"].contains(base) else {
                throw .invalidParameterValue("The type of message (user) attribute '\(name)' is invalid. You must use only the following supported type prefixes: Binary, Number, String.")
            }
            if base == "Binary" {
                guard value.BinaryValue != nil else {
                    throw .invalidParameterValue("The message attribute '\(name)' with type 'Binary' must use field 'Binary'.")
                }
            } else {
                guard let text = value.StringValue, !text.isEmpty else {
                    throw .invalidParameterValue("The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(base)'.")
                }
                if base == "Number", Double(text) == nil {
                    throw .invalidParameterValue("Can't cast the value of message (user) attribute '\(name)' to a number.")
                }
            }
            size += name.utf8.count + value.DataType.utf8.count + (value.StringValue?.utf8.count ?? 0) + (value.BinaryValue?.count ?? 0)
        }
        if size > queue.attributes.maximumMessageSize {
            throw .invalidParameterValue(
                "One or more parameters are invalid. Reason: Message must be shorter than \(queue.attributes.maximumMessageSize) bytes.")
        }
    }

    /// The message group and deduplication rules: FIFO queues need a group and a deduplication id (unless
    /// they derive it from the body) and take no per-message delay; standard queues take a group (fair queues)
    /// but no deduplication id.
    func checkOrdering(_ message: OutgoingMessage, queue: QueueDefinition) throws(QueueError) {
        if let group = message.groupId { try Self.checkToken(group, field: "MessageGroupId") }
        if let id = message.deduplicationId { try Self.checkToken(id, field: "MessageDeduplicationId") }
        guard queue.isFifo else {
            if let id = message.deduplicationId {
                throw .invalidParameterValue(
                    "Value \(id) for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.")
            }
            return
        }
        if let delay = message.delaySeconds, delay != 0 {
            throw .invalidParameterValue(
                "Value \(delay) for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.")
        }
        try checkIdentifiersPresent(message, queue: queue)
    }

    /// Group ids, deduplication ids and receive attempt ids: 1 to 128 alphanumeric or punctuation characters.
    static func checkToken(_ value: String, field: String) throws(QueueError) {
        guard (1...128).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .invalidParameterValue(
                "Value \(value) for parameter \(field) is invalid. Reason: \(field) can only include alphanumeric and punctuation characters. 1 to 128 in length.")
        }
    }

    /// A FIFO queue's message names its group, and its deduplication id unless the queue derives it from the body.
    public func checkIdentifiersPresent(_ message: OutgoingMessage, queue: QueueDefinition) throws(QueueError) {
        guard queue.isFifo else { return }
        if message.groupId == nil { throw .missingParameter("The request must contain the parameter MessageGroupId.") }
        if message.deduplicationId == nil && !queue.attributes.contentBasedDeduplication {
            throw .invalidParameterValue(
                "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
        }
    }

    /// Sends messages that were each checked; one transaction. A FIFO queue accepts a repeated send (same
    /// deduplication id within five minutes) and answers with the first message's id without storing it again.
    public func send(_ messages: [OutgoingMessage], to queue: QueueDefinition, senderId: String) async throws -> [SentMessage] {
        for message in messages { try check(message, queue: queue) }
        let sentAt = now
        let stored = messages.map { message in
            let delay = Int64(message.delaySeconds ?? queue.attributes.delaySeconds) * 1000
            let deduplicationId = queue.isFifo ? message.deduplicationId ?? MessageDigest.contentDeduplicationId(message.body) : nil
            return StoredMessage(id: UUID().uuidString.lowercased(), body: message.body, attributes: message.attributes,
                                 systemAttributes: message.systemAttributes, senderId: senderId, sentAt: sentAt, visibleAt: sentAt + delay,
                                 groupId: message.groupId, deduplicationId: deduplicationId)
        }
        let deduplication = queue.isFifo ? Deduplication(perGroup: queue.attributes.deduplicatesPerGroup, now: sentAt) : nil
        let standing = try await store.sendMessages(stored, to: queue.name, deduplication: deduplication)
        signals.signal(queue.name)
        note(.sent(queue: queue.name, sizes: messages.map { $0.body.utf8.count }))
        return zip(messages, standing).map { message, kept in
            SentMessage(messageId: kept.id, md5OfBody: MessageDigest.body(message.body),
                        md5OfMessageAttributes: MessageDigest.attributes(message.attributes),
                        md5OfSystemAttributes: MessageDigest.attributes(message.systemAttributes),
                        sequenceNumber: kept.sequenceNumber)
        }
    }

    /// Receives up to `max` messages, waiting up to `waitSeconds` (long polling) for the first to arrive. On a
    /// FIFO queue, a receive retried with the same `attemptId` within five minutes gets the same messages and
    /// receipts again while none of them changed (standard queues ignore the attempt id, as SQS does).
    public func receive(from queue: QueueDefinition, max: Int, visibilityTimeout: Int?, waitSeconds: Int?,
                        attemptId: String? = nil) async throws -> [ReceivedMessage] {
        guard (1...10).contains(max) else {
            throw QueueError.invalidParameterValue(
                "Value \(max) for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")
        }
        let wait = waitSeconds ?? queue.attributes.receiveWaitSeconds
        guard (0...Self.maxWaitSeconds).contains(wait) else {
            throw QueueError.invalidParameterValue(
                "Value \(wait) for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.")
        }
        let visibility = visibilityTimeout ?? queue.attributes.visibilityTimeout
        guard (0...43_200).contains(visibility) else {
            throw QueueError.invalidParameterValue(
                "Value \(visibility) for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.")
        }
        let attempt = queue.isFifo ? attemptId : nil
        if let attempt {
            try Self.checkToken(attempt, field: "ReceiveRequestAttemptId")
            if let again = try await store.repeatReceive(from: queue.name, attemptId: attempt, now: now, visibilityMs: Int64(visibility) * 1000) {
                return again
            }
        }
        var redrive: (String, Int)?
        if let policy = queue.attributes.redrivePolicy, let target = addressing.name(fromARN: policy.deadLetterTargetArn) {
            redrive = (target, policy.maxReceiveCount)
        }
        let deadline = now + Int64(wait) * 1000
        while true {
            let seen = signals.generation(of: queue.name)
            let t = now
            let got = try await store.receiveMessages(from: queue.name, limit: max, now: t, visibilityMs: Int64(visibility) * 1000,
                                                      redrive: redrive, retentionMs: Int64(queue.attributes.retentionSeconds) * 1000,
                                                      fifo: queue.isFifo)
            if let (target, _) = redrive { signals.signal(target) }
            if !got.isEmpty, let attempt {
                try await store.rememberReceive(in: queue.name, attemptId: attempt, received: got, expiresAt: t + Deduplication.intervalMs)
            }
            if !got.isEmpty || t >= deadline || Task.isCancelled {
                note(got.isEmpty ? .emptyReceive(queue: queue.name) : .received(queue: queue.name, count: got.count))
                return got
            }
            var until = deadline
            if let next = try await store.nextVisibleAt(in: queue.name, after: t) { until = Swift.min(until, next) }
            var timeout = Duration.milliseconds(Swift.max(1, until - t))
            if let recheck = sharedStoreRecheck { timeout = Swift.min(timeout, recheck) }
            await signals.wait(on: queue.name, since: seen, timeout: timeout)
        }
    }

    /// The message a receipt handle names, in this queue.
    func messageId(receipt: String, queue: String) throws(QueueError) -> String {
        guard let parsed = ReceiptHandle.parse(receipt), parsed.queue == queue else {
            throw .receiptHandleIsInvalid("The input receipt handle \"\(receipt)\" is not a valid receipt handle.")
        }
        return parsed.messageId
    }

    /// DeleteMessage. A standard queue deletes the message whatever receipt of it is given; a FIFO queue only by
    /// the latest receipt while the message is in flight, so a consumer whose visibility ran out cannot free the
    /// group another consumer is working on.
    public func delete(receipt: String, from queue: QueueDefinition) async throws {
        let id = try messageId(receipt: receipt, queue: queue.name)
        switch try await store.deleteMessage(from: queue.name, id: id, receipt: queue.isFifo ? receipt : nil, now: now) {
        case .deleted:
            released(queue)
            note(.deleted(queue: queue.name, count: 1))
        case .absent: break  // deleted before: deleting again succeeds
        case .staleReceipt: throw QueueError.receiptHandleExpired(receipt)
        }
    }

    /// Deletes messages by id (a consumer inside the server that holds them in flight); one transaction.
    public func delete(ids: [String], from queue: QueueDefinition) async throws {
        try await store.deleteMessages(from: queue.name, ids: ids)
        released(queue)
        note(.deleted(queue: queue.name, count: ids.count))
    }

    /// A deleted message of a FIFO queue frees its group: the next message of it may be received at once.
    private func released(_ queue: QueueDefinition) {
        if queue.isFifo { signals.signal(queue.name) }
    }

    public func changeVisibility(receipt: String, in queue: QueueDefinition, timeout: Int) async throws {
        guard (0...43_200).contains(timeout) else {
            throw QueueError.invalidParameterValue(
                "Value \(timeout) for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200.")
        }
        let id = try messageId(receipt: receipt, queue: queue.name)
        let t = now
        guard try await store.changeVisibility(in: queue.name, id: id, receipt: receipt, visibleAt: t + Int64(timeout) * 1000, now: t) else {
            throw QueueError.messageNotInflight
        }
        // A message that becomes visible sooner (or frees its FIFO group sooner) must wake long polls that planned
        // their wait by the old visibility.
        signals.signal(queue.name)
    }

    public func purge(_ queue: QueueDefinition) async throws {
        let t = now
        let refused = purges.withLock { p -> Bool in
            if let last = p[queue.name], t - last < 60_000 { return true }
            p[queue.name] = t
            return false
        }
        if refused {
            throw QueueError.purgeQueueInProgress(
                "Only one PurgeQueue operation on \(queue.name) is allowed every 60 seconds.")
        }
        try await store.purge(queue: queue.name)
    }
}

/// A receipt handle: the queue, the message and a nonce unique to one receive, base64-encoded.
public enum ReceiptHandle {
    public static func make(queue: String, messageId: String) -> String {
        let nonce = UUID().uuidString.lowercased()
        return Data("\(queue)\n\(messageId)\n\(nonce)".utf8).base64EncodedString()
    }

    public static func parse(_ handle: String) -> (queue: String, messageId: String)? {
        guard let data = Data(base64Encoded: handle), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
