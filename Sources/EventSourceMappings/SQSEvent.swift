import Foundation
import Queues

/// The event Lambda builds from a batch of SQS messages.
public struct SQSEvent: Codable, Sendable {
    public struct Record: Codable, Sendable {
        public struct Attributes: Codable, Sendable {
            public var ApproximateReceiveCount: String
            public var SentTimestamp: String
            public var SenderId: String
            public var ApproximateFirstReceiveTimestamp: String
            public var AWSTraceHeader: String?
            // FIFO queues.
            public var SequenceNumber: String?
            public var MessageGroupId: String?
            public var MessageDeduplicationId: String?
        }

        public struct MessageAttribute: Codable, Sendable {
            public var stringValue: String?
            public var binaryValue: String?
            public var stringListValues: [String]
            public var binaryListValues: [String]
            public var dataType: String
        }

        public var messageId: String
        public var receiptHandle: String
        public var body: String
        public var attributes: Attributes
        public var messageAttributes: [String: MessageAttribute]
        public var md5OfBody: String
        public var md5OfMessageAttributes: String?
        public var eventSource = "aws:sqs"
        public var eventSourceARN: String
        public var awsRegion: String
    }

    public var Records: [Record]

    public init(_ received: [ReceivedMessage], queueArn: String, region: String) {
        Records = received.map { r in
            let m = r.message
            return Record(
                messageId: m.id, receiptHandle: r.receipt, body: m.body,
                attributes: .init(ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt), SenderId: m.senderId,
                                  ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt ?? m.sentAt),
                                  AWSTraceHeader: m.systemAttributes["AWSTraceHeader"]?.StringValue,
                                  SequenceNumber: m.sequenceNumber, MessageGroupId: m.groupId, MessageDeduplicationId: m.deduplicationId),
                messageAttributes: m.attributes.mapValues {
                    .init(stringValue: $0.StringValue, binaryValue: $0.BinaryValue?.base64EncodedString(), stringListValues: [],
                          binaryListValues: [], dataType: $0.DataType)
                },
                md5OfBody: MessageDigest.body(m.body), md5OfMessageAttributes: MessageDigest.attributes(m.attributes),
                eventSourceARN: queueArn, awsRegion: region)
        }
    }

    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data("{}".utf8))
    }
}

/// What a function reporting batch item failures answers: `{"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}`.
struct BatchItemFailures: Decodable {
    struct Item: Decodable {
        var itemIdentifier: String?
    }
    var batchItemFailures: [Item]?

    /// The message ids to keep, or nil when the whole batch counts as failed (an unreadable answer or an
    /// identifier that is empty or not in the batch, as Lambda treats them).
    static func failedIds(_ payload: [UInt8], batch: Set<String>) -> Set<String>? {
        let trimmed = String(decoding: payload, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed == "null" { return [] }
        guard let parsed = try? JSONDecoder().decode(BatchItemFailures.self, from: Data(payload)) else {
            // Any other JSON value (a string, a number, an object without the list) counts as success.
            return (try? JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed])) != nil ? [] : nil
        }
        var ids = Set<String>()
        for item in parsed.batchItemFailures ?? [] {
            guard let id = item.itemIdentifier, !id.isEmpty, batch.contains(id) else { return nil }
            ids.insert(id)
        }
        return ids
    }
}
