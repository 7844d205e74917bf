import AWSProtocol
import Foundation
import Queues

extension SQSService {
    func sendMessage(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(SendMessageRequest.self, from: request)
        let queue = try await broker.queue(url: body.QueueUrl)
        guard let text = body.MessageBody else { throw QueueError.missingParameter("The request must contain the parameter MessageBody.") }
        let sent = try await broker.send([OutgoingMessage(
            body: text, delaySeconds: body.DelaySeconds, attributes: body.MessageAttributes ?? [:],
            systemAttributes: body.MessageSystemAttributes ?? [:], groupId: body.MessageGroupId,
            deduplicationId: body.MessageDeduplicationId)], to: queue, senderId: request.caller?.userId ?? broker.addressing.accountId)[0]
        return try json(SendMessageResponse(MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody,
                                            MD5OfMessageAttributes: sent.md5OfMessageAttributes,
                                            MD5OfMessageSystemAttributes: sent.md5OfSystemAttributes,
                                            SequenceNumber: sent.sequenceNumber))
    }

    /// Checks what every batch operation requires of its entry ids.
    func checkBatch(_ ids: [String?]) throws {
        if ids.isEmpty { throw QueueError.emptyBatchRequest }
        if ids.count > QueueBroker.maxBatchEntries { throw QueueError.tooManyEntriesInBatchRequest(ids.count) }
        var seen = Set<String>()
        for id in ids {
            guard let id, !id.isEmpty, id.utf8.count <= 80,
                  id.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }) else {
                throw QueueError.invalidBatchEntryId(
                    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
            }
            if !seen.insert(id).inserted { throw QueueError.batchEntryIdsNotDistinct(id) }
        }
    }

    static func failure(_ id: String, _ error: QueueError) -> BatchResultErrorEntry {
        let wire = error.awsError
        let code = wire.headers["x-amzn-query-error"]?.split(separator: ";").first.map(String.init) ?? wire.code
        return BatchResultErrorEntry(Id: id, SenderFault: true, Code: code, Message: wire.message)
    }

    func sendMessageBatch(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(SendMessageBatchRequest.self, from: request)
        let queue = try await broker.queue(url: body.QueueUrl)
        let entries = body.Entries ?? []
        try checkBatch(entries.map(\.Id))
        let total = entries.reduce(0) { $0 + ($1.MessageBody?.utf8.count ?? 0) }
        if total > queue.attributes.maximumMessageSize {
            throw QueueError.batchRequestTooLong(
                "Batch requests cannot be longer than \(queue.attributes.maximumMessageSize) bytes. You have sent \(total) bytes.")
        }
        let messages = entries.map { entry in
            OutgoingMessage(body: entry.MessageBody ?? "", delaySeconds: entry.DelaySeconds,
                            attributes: entry.MessageAttributes ?? [:], systemAttributes: entry.MessageSystemAttributes ?? [:],
                            groupId: entry.MessageGroupId, deduplicationId: entry.MessageDeduplicationId)
        }
        // A FIFO entry without its group or deduplication id fails the whole request, as in SQS.
        for message in messages { try broker.checkIdentifiersPresent(message, queue: queue) }
        var accepted: [(String, OutgoingMessage)] = []
        var failed: [BatchResultErrorEntry] = []
        for (entry, message) in zip(entries, messages) {
            let id = entry.Id ?? ""
            do {
                try broker.check(message, queue: queue)
                accepted.append((id, message))
            } catch {
                failed.append(Self.failure(id, error))
            }
        }
        var successful: [SendMessageBatchResultEntry] = []
        if !accepted.isEmpty {
            let sent = try await broker.send(accepted.map(\.1), to: queue, senderId: request.caller?.userId ?? broker.addressing.accountId)
            for ((id, _), s) in zip(accepted, sent) {
                successful.append(SendMessageBatchResultEntry(Id: id, MessageId: s.messageId, MD5OfMessageBody: s.md5OfBody,
                                                              MD5OfMessageAttributes: s.md5OfMessageAttributes,
                                                              MD5OfMessageSystemAttributes: s.md5OfSystemAttributes,
                                                              SequenceNumber: s.sequenceNumber))
            }
        }
        return try json(SendMessageBatchResponse(Successful: successful, Failed: failed))
    }

    func receiveMessage(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(ReceiveMessageRequest.self, from: request)
        let queue = try await broker.queue(url: body.QueueUrl)
        let received = try await broker.receive(from: queue, max: body.MaxNumberOfMessages ?? 1,
                                                visibilityTimeout: body.VisibilityTimeout, waitSeconds: body.WaitTimeSeconds,
                                                attemptId: body.ReceiveRequestAttemptId)
        let systemNames = Set((body.AttributeNames ?? []) + (body.MessageSystemAttributeNames ?? []))
        let attributeNames = body.MessageAttributeNames ?? []
        let messages = received.map { r in
            let attributes = Self.select(r.message.attributes, names: attributeNames)
            let system = Self.systemAttributes(r.message, names: systemNames)
            return Message(MessageId: r.message.id, ReceiptHandle: r.receipt, MD5OfBody: MessageDigest.body(r.message.body),
                           Body: r.message.body, Attributes: system.isEmpty ? nil : system,
                           MD5OfMessageAttributes: MessageDigest.attributes(attributes),
                           MessageAttributes: attributes.isEmpty ? nil : attributes)
        }
        return try json(ReceiveMessageResponse(Messages: messages.isEmpty ? nil : messages))
    }

    /// The message attributes a receive asked for: `All`, `.*`, `prefix.*` or exact names.
    static func select(_ attributes: [String: MessageAttributeValue], names: [String]) -> [String: MessageAttributeValue] {
        if names.contains("All") || names.contains(".*") { return attributes }
        return attributes.filter { name, _ in
            names.contains { pattern in
                pattern.hasSuffix(".*") ? name.hasPrefix(String(pattern.dropLast(1))) : pattern == name
            }
        }
    }

    /// The system attributes a receive asked for.
    static func systemAttributes(_ m: StoredMessage, names: Set<String>) -> [String: String] {
        var all: [String: String] = [
            "SenderId": m.senderId,
            "SentTimestamp": String(m.sentAt),
            "ApproximateReceiveCount": String(m.receiveCount),
            "ApproximateFirstReceiveTimestamp": String(m.firstReceiveAt ?? m.sentAt),
        ]
        if let trace = m.systemAttributes["AWSTraceHeader"]?.StringValue { all["AWSTraceHeader"] = trace }
        if let group = m.groupId { all["MessageGroupId"] = group }
        if let id = m.deduplicationId { all["MessageDeduplicationId"] = id }
        if let number = m.sequenceNumber { all["SequenceNumber"] = number }
        if names.contains("All") { return all }
        return all.filter { names.contains($0.key) }
    }

    func deleteMessage(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(DeleteMessageRequest.self, from: request)
        let queue = try await broker.queue(url: body.QueueUrl)
        guard let receipt = body.ReceiptHandle, !receipt.isEmpty else {
            throw QueueError.missingParameter("The request must contain the parameter ReceiptHandle.")
        }
        try await broker.delete(receipt: receipt, from: queue)
        return try json(EmptyResponse())
    }

    func deleteMessageBatch(_ request: APIRequest) async throws -> APIResponse {
        try await receiptBatch(request) { entry, queue in
            do {
                try await broker.delete(receipt: entry.ReceiptHandle ?? "", from: queue)
            } catch QueueError.receiptHandleExpired(let receipt) {
                // SQS reports an expired FIFO receipt in a batch entry as an invalid one.
                throw QueueError.receiptHandleIsInvalid("The receipt handle \"\(receipt)\" has expired.")
            }
        }
    }

    /// DeleteMessageBatch and ChangeMessageVisibilityBatch: `apply` per entry, each entry's failure reported apart.
    func receiptBatch(_ request: APIRequest,
                      _ apply: (ReceiptBatchEntry, QueueDefinition) async throws -> Void) async throws -> APIResponse {
        let body = try decode(ReceiptBatchRequest.self, from: request)
        let queue = try await broker.queue(url: body.QueueUrl)
        let entries = body.Entries ?? []
        try checkBatch(entries.map(\.Id))
        var successful: [BatchResultEntry] = [], failed: [BatchResultErrorEntry] = []
        for entry in entries {
            let id = entry.Id ?? ""
            do {
                try await apply(entry, queue)
                successful.append(BatchResultEntry(Id: id))
            } catch let error as QueueError {
                failed.append(Self.failure(id, error))
            }
        }
        return try json(ReceiptBatchResponse(Successful: successful, Failed: failed))
    }

    func changeMessageVisibility(_ request: APIRequest) async throws -> APIResponse {
        let body = try decode(ChangeMessageVisibilityRequest.self, from: request)
        let queue = try await broker.queue(url: body.QueueUrl)
        guard let receipt = body.ReceiptHandle, !receipt.isEmpty else {
            throw QueueError.missingParameter("The request must contain the parameter ReceiptHandle.")
        }
        guard let timeout = body.VisibilityTimeout else {
            throw QueueError.missingParameter("The request must contain the parameter VisibilityTimeout.")
        }
        try await broker.changeVisibility(receipt: receipt, in: queue, timeout: timeout)
        return try json(EmptyResponse())
    }

    func changeMessageVisibilityBatch(_ request: APIRequest) async throws -> APIResponse {
        try await receiptBatch(request) { entry, queue in
            try await broker.changeVisibility(receipt: entry.ReceiptHandle ?? "", in: queue, timeout: entry.VisibilityTimeout ?? 0)
        }
    }
}
