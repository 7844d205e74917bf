import Delivery
import Foundation
import Testing
@testable import Topics

/// The documents SNS delivers, field by field and in AWS's order.
struct EnvelopeTests {
    func envelope(subject: String?) -> NotificationEnvelope {
        NotificationEnvelope(type: "Notification", messageId: "mid", topicArn: "arn:aws:sns:us-east-1:000000000000:t", subject: subject,
                             message: "line1\n\"quoted\"", timestamp: "2026-01-01T00:00:00.000Z", signatureVersion: "1", signature: "c2ln",
                             signingCertURL: "http://h/_sns/cert.pem", unsubscribeURL: "http://h/_sns/unsubscribe/x",
                             attributes: ["b": .string("v"), "a": .init(dataType: "Binary", binaryValue: [0xFF])])
    }

    @Test func httpEnvelope() throws {
        let text = envelope(subject: "S").httpJSON
        #expect(text.hasPrefix("{\n  \"Type\" : \"Notification\",\n  \"MessageId\" : \"mid\",\n  \"TopicArn\" : "))
        let keys = ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature",
                    "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]
        let positions = keys.map { text.range(of: "\"\($0)\" :")!.lowerBound }
        #expect(positions == positions.sorted())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
        #expect(json["Message"] as? String == "line1\n\"quoted\"")
        let attributes = try #require(json["MessageAttributes"] as? NSDictionary)
        #expect((attributes["a"] as? NSDictionary)?["Value"] as? String == "/w==")
        #expect((attributes["b"] as? NSDictionary)?["Type"] as? String == "String")
    }

    @Test func noSubjectNoAttributes() throws {
        var e = envelope(subject: nil)
        e.attributes = [:]
        let text = e.httpJSON
        #expect(!text.contains("Subject"))
        #expect(!text.contains("MessageAttributes"))
    }

    @Test func lambdaEvent() throws {
        let text = envelope(subject: nil).lambdaEvent(subscriptionArn: "arn:aws:sns:us-east-1:000000000000:t:sub")
        #expect(text.hasPrefix(#"{"Records":[{"EventSource":"aws:sns","EventVersion":"1.0","EventSubscriptionArn":"arn:aws:sns:us-east-1:000000000000:t:sub","Sns":{"Type":"Notification","MessageId":"mid","TopicArn":"#))
        #expect(text.contains(#""Subject":null,"Message":"line1\n\"quoted\"","#))
        #expect(text.contains(#""SigningCertUrl":"http://h/_sns/cert.pem","UnsubscribeUrl":"#))
        #expect(text.contains(#""MessageAttributes":{"a":{"Type":"Binary","Value":"/w=="},"b":{"Type":"String","Value":"v"}}"#))
        _ = try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func confirmation() throws {
        var e = envelope(subject: nil)
        e.type = "SubscriptionConfirmation"
        e.token = "tok"
        e.subscribeURL = "http://h/_sns/confirm/tok"
        let text = e.httpJSON
        let keys = ["Type", "MessageId", "Token", "TopicArn", "Message", "SubscribeURL", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL"]
        let positions = keys.map { text.range(of: "\"\($0)\" :")!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(!text.contains("UnsubscribeURL"))
    }

    @Test func paths() {
        #expect(SNSPaths.request(["_sns", SNSPaths.certificateFile]) == .certificate)
        #expect(SNSPaths.request(["_sns", "confirm", "abc"]) == .confirm(token: "abc"))
        #expect(SNSPaths.request(["_sns", "unsubscribe", "arn:aws:sns:r:1:t:u"]) == .unsubscribe(subscriptionArn: "arn:aws:sns:r:1:t:u"))
        #expect(SNSPaths.request(["2015-03-31", "functions"]) == nil)
    }
}
