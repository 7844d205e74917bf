import Crypto
import Foundation

/// A message attribute: a `String`, `Number` or `Binary` value (with an optional custom type suffix).
public struct MessageAttributeValue: Codable, Sendable, Equatable {
    public var DataType: String
    public var StringValue: String?
    public var BinaryValue: Data?

    public init(DataType: String, StringValue: String? = nil, BinaryValue: Data? = nil) {
        self.DataType = DataType
        self.StringValue = StringValue
        self.BinaryValue = BinaryValue
    }

    var isBinary: Bool { DataType.hasPrefix("Binary") }
}

/// A message as the store keeps it.
public struct StoredMessage: Codable, Sendable, Equatable {
    public var id: String
    public var body: String
    public var attributes: [String: MessageAttributeValue]
    /// `AWSTraceHeader` and the like.
    public var systemAttributes: [String: MessageAttributeValue]
    public var senderId: String
    /// Epoch milliseconds.
    public var sentAt: Int64
    public var visibleAt: Int64
    public var receiveCount: Int
    public var firstReceiveAt: Int64?
    /// The handle of the latest receive.
    public var receipt: String?
    /// FIFO queues (and fair standard queues): the message group.
    public var groupId: String?
    /// FIFO queues: the deduplication id given or derived from the body.
    public var deduplicationId: String?
    /// FIFO queues: the order of the message in its queue, digits, assigned when it is stored.
    public var sequenceNumber: String?

    public init(id: String, body: String, attributes: [String: MessageAttributeValue], systemAttributes: [String: MessageAttributeValue],
                senderId: String, sentAt: Int64, visibleAt: Int64, receiveCount: Int = 0, firstReceiveAt: Int64? = nil, receipt: String? = nil,
                groupId: String? = nil, deduplicationId: String? = nil, sequenceNumber: String? = nil) {
        self.id = id
        self.body = body
        self.attributes = attributes
        self.systemAttributes = systemAttributes
        self.senderId = senderId
        self.sentAt = sentAt
        self.visibleAt = visibleAt
        self.receiveCount = receiveCount
        self.firstReceiveAt = firstReceiveAt
        self.receipt = receipt
        self.groupId = groupId
        self.deduplicationId = deduplicationId
        self.sequenceNumber = sequenceNumber
    }

    /// SQS's sequence numbers are strings of digits; ours are the store's order of arrival, padded so they also sort
    /// as text.
    public static func sequenceNumber(_ order: Int64) -> String {
        let digits = String(order)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}

/// How a FIFO queue recognizes a repeated send: the same deduplication id (within its message group, when
/// `perGroup`) again before `expiresAt` of the first is accepted and not stored.
public struct Deduplication: Sendable, Equatable {
    /// SQS's deduplication interval.
    public static let intervalMs: Int64 = 5 * 60_000

    public var perGroup: Bool
    public var now: Int64

    public init(perGroup: Bool, now: Int64) {
        self.perGroup = perGroup
        self.now = now
    }

    public var expiresAt: Int64 { now + Self.intervalMs }

    /// The key a message is deduplicated by.
    public func key(of message: StoredMessage) -> String {
        let id = message.deduplicationId ?? ""
        return perGroup ? (message.groupId ?? "") + "\n" + id : id
    }
}

/// The digests SQS returns so clients can check what arrived (boto3 does).
public enum MessageDigest {
    public static func md5Hex(_ bytes: some DataProtocol) -> String {
        hex(Insecure.MD5.hash(data: bytes))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    public static func body(_ body: String) -> String {
        md5Hex(Data(body.utf8))
    }

    /// The deduplication id content-based deduplication derives: SHA-256 of the body, hex.
    public static func contentDeduplicationId(_ body: String) -> String {
        hex(SHA256.hash(data: Data(body.utf8)))
    }

    /// MD5 over the attributes sorted by name: each as length-prefixed name, length-prefixed data type,
    /// a transport byte (1 string, 2 binary) and the length-prefixed value. Nil when there are none.
    public static func attributes(_ attributes: [String: MessageAttributeValue]) -> String? {
        guard !attributes.isEmpty else { return nil }
        var bytes = [UInt8]()
        func append(_ data: some Collection<UInt8>) {
            let n = UInt32(data.count)
            bytes += [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
            bytes += data
        }
        for name in attributes.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let value = attributes[name]!
            append(Array(name.utf8))
            append(Array(value.DataType.utf8))
            if value.isBinary {
                bytes.append(2)
                append(Array(value.BinaryValue ?? Data()))
            } else {
                bytes.append(1)
                append(Array((value.StringValue ?? "").utf8))
            }
        }
        return md5Hex(bytes)
    }
}
