import Foundation
import Queues
import Testing

@Suite struct MessageDigestTests {
    @Test func bodyDigestIsMD5Hex() {
        #expect(MessageDigest.body("hello") == "5d41402abc4b2a76b9719d911017c592")
    }

    /// The attribute digest as SQS defines it, computed independently here byte by byte.
    @Test func attributeDigestFollowsSQSEncoding() {
        func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
            let n = UInt32(bytes.count).bigEndian
            return withUnsafeBytes(of: n) { Array($0) } + bytes
        }
        let attributes: [String: MessageAttributeValue] = [
            "b": MessageAttributeValue(DataType: "Binary", BinaryValue: Data([1, 2, 3])),
            "a": MessageAttributeValue(DataType: "String", StringValue: "x"),
            "n": MessageAttributeValue(DataType: "Number.int", StringValue: "42"),
        ]
        var expected = [UInt8]()
        expected += lengthPrefixed(Array("a".utf8)) + lengthPrefixed(Array("String".utf8)) + [1] + lengthPrefixed(Array("x".utf8))
        expected += lengthPrefixed(Array("b".utf8)) + lengthPrefixed(Array("Binary".utf8)) + [2] + lengthPrefixed([1, 2, 3])
        expected += lengthPrefixed(Array("n".utf8)) + lengthPrefixed(Array("Number.int".utf8)) + [1] + lengthPrefixed(Array("42".utf8))
        #expect(MessageDigest.attributes(attributes) == MessageDigest.md5Hex(expected))
        #expect(MessageDigest.attributes([:]) == nil)
    }

    @Test func receiptHandlesRoundTripAndRejectGarbage() {
        let handle = ReceiptHandle.make(queue: "q", messageId: "m-1")
        #expect(ReceiptHandle.parse(handle)?.queue == "q")
        #expect(ReceiptHandle.parse(handle)?.messageId == "m-1")
        #expect(ReceiptHandle.parse("not a handle") == nil)
    }
}
