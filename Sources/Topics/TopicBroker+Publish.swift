import Crypto
import Delivery
import Foundation
import JSONText

extension TopicBroker {
    /// Publish: validates the message, and stores one delivery per subscription whose filter admits it, all in one
    /// call to `DeliveryService.accept`, before answering with the message id.
    public nonisolated func publish(_ input: PublishInput) async throws -> PublishResult {
        let (result, planned) = try await plan(input)
        try await deliveries.accept(planned)
        return result
    }

    /// PublishBatch: each entry planned on its own (an invalid entry fails alone), all deliveries accepted at once.
    public nonisolated func publishBatch(_ inputs: [PublishInput]) async throws -> [Result<PublishResult, TopicError>] {
        var results: [Result<PublishResult, TopicError>] = []
        var all: [Delivery] = []
        for input in inputs {
            do {
                let (result, planned) = try await plan(input)
                results.append(.success(result))
                all += planned
            } catch let error as TopicError {
                results.append(.failure(error))
            }
        }
        try await deliveries.accept(all)
        return results
    }

    /// Checks a message against its topic and turns it into deliveries (none for a FIFO duplicate).
    func plan(_ input: PublishInput) throws -> (PublishResult, [Delivery]) {
        let topic = try topic(input.topicArn)
        guard !input.message.isEmpty else { throw TopicError.invalidParameter("Empty message") }
        try MessageAttributeRules.validate(input.attributes)
        guard input.message.utf8.count + MessageAttributeRules.size(input.attributes) <= Self.maxMessageBytes else {
            throw TopicError.invalidParameter("Message too long")
        }
        if let subject = input.subject {
            guard !subject.isEmpty, subject.count <= 100,
                  subject.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw TopicError.invalidParameter("Subject")
            }
        }
        var perProtocol: [String: String] = [:]
        var defaultMessage = input.message
        if let structure = input.messageStructure {
            guard structure == "json" else { throw TopicError.invalidParameter("MessageStructure") }
            guard case .object(let fields)? = JSONText(parsing: Array(input.message.utf8)) else {
                throw TopicError.invalid("Invalid parameter: Message Structure - JSON message body failed to parse")
            }
            for field in fields {
                guard case .string(let text) = field.value else {
                    throw TopicError.invalid("Invalid parameter: Message Structure - JSON message body failed to parse")
                }
                perProtocol[field.key] = text
            }
            guard let fallback = perProtocol["default"] else {
                throw TopicError.invalid("Invalid parameter: Message Structure - No default entry in JSON message body")
            }
            defaultMessage = fallback
        }
        var groupId: String?
        var deduplicationId: String?
        var sequenceNumber: String?
        let now = clock()
        let messageId: String
        if topic.isFifo {
            guard let group = input.messageGroupId, !group.isEmpty else {
                throw TopicError.invalidParameter("The MessageGroupId parameter is required for FIFO topics")
            }
            guard group.count <= 128 else { throw TopicError.invalidParameter("MessageGroupId", reason: "MessageGroupId can be up to 128 characters long") }
            if let id = input.messageDeduplicationId {
                guard !id.isEmpty, id.count <= 128 else {
                    throw TopicError.invalidParameter("MessageDeduplicationId", reason: "MessageDeduplicationId can be up to 128 characters long")
                }
                deduplicationId = id
            } else if topic.contentBasedDeduplication {
                deduplicationId = SHA256.hash(data: Data(input.message.utf8)).map { String(format: "%02x", $0) }.joined()
            } else {
                throw TopicError.invalidParameter("The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
            }
            groupId = group
            sequence += 1
            sequenceNumber = String(format: "%020llu", sequence)
            if let earlier = deduplication[topic.arn, default: DeduplicationWindow()].seen(deduplicationId!, now: now) {
                return (PublishResult(messageId: earlier, sequenceNumber: sequenceNumber), [])
            }
            messageId = UUID().uuidString.lowercased()
            deduplication[topic.arn, default: DeduplicationWindow()].remember(deduplicationId!, messageId: messageId,
                                                                             until: now + Self.deduplicationWindowMs)
        } else {
            if input.messageDeduplicationId != nil {
                throw TopicError.invalidParameter("MessageDeduplicationId",
                                                  reason: "The request includes MessageDeduplicationId parameter that is not valid for this topic type")
            }
            messageId = UUID().uuidString.lowercased()
        }
        let timestamp = SNSTimestamp.string(milliseconds: now)
        let origin = DeliveryOrigin(servicePrincipal: "sns.amazonaws.com", sourceArn: topic.arn)
        var planned: [Delivery] = []
        for arn in byTopic[topic.arn] ?? [] {
            guard let subscription = subscriptions[arn], !subscription.pendingConfirmation else { continue }
            let message = perProtocol[subscription.protocol] ?? defaultMessage
            if let filter = filters[arn] {
                let admitted = filter.scope == .messageBody ? filter.matches(body: message) : filter.matches(attributes: input.attributes)
                guard admitted else { continue }
            }
            var context: [String: String] = [
                "type": "Notification", "topicArn": topic.arn, "messageId": messageId, "timestamp": timestamp,
                "protocol": subscription.protocol, "endpoint": subscription.endpoint, "signatureVersion": topic.signatureVersion,
            ]
            if let subject = input.subject { context["subject"] = subject }
            if subscription.rawMessageDelivery { context["raw"] = "true" }
            if let dlq = SubscriptionAttributes.deadLetterTarget(subscription) { context["deadLetterTarget"] = dlq }
            if let sequenceNumber { context["sequenceNumber"] = sequenceNumber }
            if subscription.isHTTP { context["contentType"] = SNSDeliveryPolicy.contentType(for: subscription, topic: topic) }
            planned.append(Delivery(
                id: UUID().uuidString.lowercased(), channel: SubscriptionDeliverySink.channel, target: arn, payload: message,
                attributes: input.attributes, messageGroupId: groupId, deduplicationId: deduplicationId, origin: origin,
                retry: SNSDeliveryPolicy.retry(for: subscription, topic: topic), acceptedAt: now, context: context))
        }
        return (PublishResult(messageId: messageId, sequenceNumber: sequenceNumber), planned)
    }
}
