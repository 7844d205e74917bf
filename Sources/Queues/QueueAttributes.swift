import AccessPolicies
import Foundation

/// The settable attributes of a queue, validated, as SQS names them.
public struct QueueAttributes: Codable, Sendable, Equatable {
    public var values: [String: String]

    /// Attribute name → (default, allowed range) of the numeric ones.
    static let numeric: [String: (Int, ClosedRange<Int>)] = [
        "DelaySeconds": (0, 0...900),
        "MaximumMessageSize": (1_048_576, 1024...1_048_576),
        "MessageRetentionPeriod": (345_600, 60...1_209_600),
        "ReceiveMessageWaitTimeSeconds": (0, 0...20),
        "VisibilityTimeout": (30, 0...43_200),
    ]
    /// Settable attributes kept as given.
    static let textual: Set<String> = [
        "RedrivePolicy", "RedriveAllowPolicy", "Policy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled",
    ]
    /// Attributes computed by the queue.
    public static let readOnly: Set<String> = [
        "QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp", "LastModifiedTimestamp",
    ]
    /// An attribute with a fixed set of values.
    struct Choice {
        var initial: String
        var allowed: Set<String>
    }

    /// Attributes only FIFO queues have.
    static let fifoOnly: [String: Choice] = [
        "ContentBasedDeduplication": Choice(initial: "false", allowed: ["true", "false"]),
        "DeduplicationScope": Choice(initial: "queue", allowed: ["queue", "messageGroup"]),
        "FifoThroughputLimit": Choice(initial: "perQueue", allowed: ["perQueue", "perMessageGroupId"]),
    ]
    public static var all: Set<String> { Set(numeric.keys).union(textual).union(readOnly).union(fifoOnly.keys).union(["FifoQueue"]) }

    public init(values: [String: String] = [:]) {
        self.values = values
    }

    /// Whether these are a FIFO queue's (the type is fixed when the queue is created).
    public var isFifo: Bool { values["FifoQueue"] == "true" }

    /// The attributes a queue starts from: a FIFO queue's carry `FifoQueue`.
    public static func initial(fifo: Bool) -> QueueAttributes {
        QueueAttributes(values: fifo ? ["FifoQueue": "true"] : [:])
    }

    /// Validates `given` and merges it over `self`; `deadLetter` is the queue its RedrivePolicy names, when that exists.
    public func merging(_ given: [String: String], deadLetter: QueueDefinition?) throws(QueueError) -> QueueAttributes {
        var next = values
        for (name, value) in given {
            if let (_, range) = Self.numeric[name] {
                guard let number = Int(value), range.contains(number) else {
                    throw .invalidAttributeValue("Invalid value for the parameter \(name).")
                }
                next[name] = String(number)
            } else if name == "RedrivePolicy" {
                if value.isEmpty { next[name] = nil; continue }
                _ = try RedrivePolicy.parse(value)
                guard let deadLetter else {
                    throw .invalidParameterValue("Value \(value) for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.")
                }
                guard deadLetter.attributes.isFifo == isFifo else {
                    throw .invalidParameterValue(
                        "Value \(value) for parameter RedrivePolicy is invalid. Reason: Dead-letter target must be the same type of queue as the source.")
                }
                next[name] = value
            } else if name == "Policy", !value.isEmpty {
                // Authorization reads the queue's policy on every request: only a valid one is stored.
                do {
                    _ = try Policy(json: value, kind: .resource)
                } catch {
                    throw .invalidAttributeValue("Invalid value for the parameter Policy. Reason: \(error.reason)")
                }
                next[name] = value
            } else if Self.textual.contains(name) {
                next[name] = value.isEmpty ? nil : value
            } else if name == "FifoQueue" {
                // Checked against the name when the queue is created; the type never changes afterwards.
                guard ["true", "false"].contains(value.lowercased()) else {
                    throw .invalidAttributeValue("Invalid value for the parameter FifoQueue.")
                }
                let fifo = value.lowercased() == "true"
                if fifo && !isFifo { throw .invalidAttributeName("Unknown Attribute FifoQueue.") }
                if !fifo && isFifo {
                    throw .invalidAttributeValue("Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.")
                }
            } else if let choice = Self.fifoOnly[name] {
                guard isFifo else { throw .invalidAttributeName("Unknown Attribute \(name).") }
                let canonical = choice.allowed.first { $0.lowercased() == value.lowercased() }
                guard let canonical else { throw .invalidAttributeValue("Invalid value for the parameter \(name).") }
                next[name] = canonical
            } else {
                throw .invalidAttributeName("Unknown Attribute \(name).")
            }
        }
        return QueueAttributes(values: next)
    }

    public func int(_ name: String) -> Int {
        values[name].flatMap(Int.init) ?? Self.numeric[name]?.0 ?? 0
    }

    public var visibilityTimeout: Int { int("VisibilityTimeout") }
    public var delaySeconds: Int { int("DelaySeconds") }
    public var maximumMessageSize: Int { int("MaximumMessageSize") }
    public var retentionSeconds: Int { int("MessageRetentionPeriod") }
    public var receiveWaitSeconds: Int { int("ReceiveMessageWaitTimeSeconds") }
    public var redrivePolicy: RedrivePolicy? { values["RedrivePolicy"].flatMap { try? RedrivePolicy.parse($0) } }
    public var contentBasedDeduplication: Bool { values["ContentBasedDeduplication"] == "true" }
    /// Whether a deduplication id is unique within its message group rather than the whole queue.
    public var deduplicatesPerGroup: Bool { values["DeduplicationScope"] == "messageGroup" }

    /// Every settable attribute with its effective value (defaults filled in).
    public var effective: [String: String] {
        var all = values
        for (name, (def, _)) in Self.numeric where all[name] == nil { all[name] = String(def) }
        if isFifo {
            for (name, choice) in Self.fifoOnly where all[name] == nil { all[name] = choice.initial }
        }
        return all
    }
}

/// Where messages received too often go.
public struct RedrivePolicy: Codable, Sendable, Equatable {
    public var deadLetterTargetArn: String
    public var maxReceiveCount: Int

    static func parse(_ json: String) throws(QueueError) -> RedrivePolicy {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let arn = object["deadLetterTargetArn"] as? String else {
            throw .invalidParameterValue("Value \(json) for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.")
        }
        let count = (object["maxReceiveCount"] as? Int) ?? (object["maxReceiveCount"] as? String).flatMap(Int.init)
        guard let count, (1...1000).contains(count) else {
            throw .invalidParameterValue("Value \(json) for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: must be an integer from 1 to 1000.")
        }
        return RedrivePolicy(deadLetterTargetArn: arn, maxReceiveCount: count)
    }
}

/// A queue as the store keeps it.
public struct QueueDefinition: Codable, Sendable, Equatable {
    public var name: String
    public var attributes: QueueAttributes
    public var tags: [String: String]
    public var created: Date
    public var lastModified: Date

    public init(name: String, attributes: QueueAttributes, tags: [String: String], created: Date, lastModified: Date) {
        self.name = name
        self.attributes = attributes
        self.tags = tags
        self.created = created
        self.lastModified = lastModified
    }

    /// FIFO queues keep each message group in order and deduplicate sends.
    public var isFifo: Bool { attributes.isFifo }
}
