import Crypto
import Foundation
import Testing
import _CryptoExtras
@testable import Topics

/// The strings SNS signs and the signatures over them (verified with the public key, as AWS's validators do).
struct SigningTests {
    static let signer = MessageSigner(key: try! _RSA.Signing.PrivateKey(keySize: .bits2048), certificatePEM: nil)

    @Test func notificationStringFollowsAWSOrder() {
        let text = MessageSigner.notificationString(message: "hello", messageId: "id-1", subject: "subj",
                                                    timestamp: "2026-01-01T00:00:00.000Z", topicArn: "arn:aws:sns:us-east-1:1:t")
        #expect(text == "Message\nhello\nMessageId\nid-1\nSubject\nsubj\nTimestamp\n2026-01-01T00:00:00.000Z\nTopicArn\narn:aws:sns:us-east-1:1:t\nType\nNotification\n")
        let noSubject = MessageSigner.notificationString(message: "m", messageId: "i", subject: nil, timestamp: "t", topicArn: "a")
        #expect(noSubject == "Message\nm\nMessageId\ni\nTimestamp\nt\nTopicArn\na\nType\nNotification\n")
    }

    @Test func confirmationString() {
        let text = MessageSigner.confirmationString(type: "SubscriptionConfirmation", message: "m", messageId: "i", subscribeURL: "u",
                                                    timestamp: "t", token: "k", topicArn: "a")
        #expect(text == "Message\nm\nMessageId\ni\nSubscribeURL\nu\nTimestamp\nt\nToken\nk\nTopicArn\na\nType\nSubscriptionConfirmation\n")
    }

    @Test(arguments: ["1", "2"]) func signatureVerifies(version: String) throws {
        let text = "Message\nhi\nMessageId\nx\nTimestamp\nt\nTopicArn\na\nType\nNotification\n"
        let signature = Self.signer.sign(text, version: version)
        let raw = try #require(Data(base64Encoded: signature))
        let key = Self.signer.key.publicKey
        let data = Data(text.utf8)
        let sha1 = key.isValidSignature(.init(rawRepresentation: raw), for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
        let sha256 = key.isValidSignature(.init(rawRepresentation: raw), for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
        #expect(version == "1" ? sha1 && !sha256 : sha256 && !sha1)
        #expect(!key.isValidSignature(.init(rawRepresentation: raw), for: SHA256.hash(data: Data("other".utf8)), padding: .insecurePKCS1v1_5))
    }

    @Test func cachedPerMessage() {
        let first = Self.signer.signature(messageId: "m-1", version: "2", "a")
        let again = Self.signer.signature(messageId: "m-1", version: "2", "b")
        #expect(first == again)
        #expect(Self.signer.signature(messageId: "m-1", version: "1", "a") != first)
    }

    @Test func timestampsHaveMilliseconds() {
        #expect(SNSTimestamp.string(milliseconds: 1_767_225_600_123) == "2026-01-01T00:00:00.123Z")
    }
}
