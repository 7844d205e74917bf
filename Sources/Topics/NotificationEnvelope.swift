import Delivery
import Foundation

/// The JSON documents SNS delivers: the envelope HTTP/S endpoints and SQS queues receive (pretty-printed, fields in
/// AWS's order), the confirmation messages, and the Lambda event (`Records[].Sns`).
struct NotificationEnvelope {
    var type: String
    var messageId: String
    var topicArn: String
    var subject: String?
    var message: String
    var timestamp: String
    var signatureVersion: String
    var signature: String
    var signingCertURL: String
    var unsubscribeURL: String
    var attributes: [String: DeliveryAttribute]
    var sequenceNumber: String?
    /// Confirmation messages only.
    var token: String?
    var subscribeURL: String?

    /// The attribute as SNS shows it in envelopes: `{"Type":…,"Value":…}` (binary values in base64).
    static func attributeJSON(_ attribute: DeliveryAttribute) -> String {
        let value = attribute.binaryValue.map { Data($0).base64EncodedString() } ?? attribute.stringValue ?? ""
        return JSONWriter.object([("Type", JSONWriter.quote(attribute.dataType)), ("Value", JSONWriter.quote(value))])
    }

    /// The body of an HTTP/S POST and of an SQS message (without raw delivery).
    var httpJSON: String {
        var fields: [(String, String)] = [("Type", JSONWriter.quote(type)), ("MessageId", JSONWriter.quote(messageId))]
        if type == "Notification" {
            if let sequenceNumber { fields.append(("SequenceNumber", JSONWriter.quote(sequenceNumber))) }
            fields.append(("TopicArn", JSONWriter.quote(topicArn)))
            if let subject { fields.append(("Subject", JSONWriter.quote(subject))) }
            fields += [
                ("Message", JSONWriter.quote(message)),
                ("Timestamp", JSONWriter.quote(timestamp)),
                ("SignatureVersion", JSONWriter.quote(signatureVersion)),
                ("Signature", JSONWriter.quote(signature)),
                ("SigningCertURL", JSONWriter.quote(signingCertURL)),
                ("UnsubscribeURL", JSONWriter.quote(unsubscribeURL)),
            ]
            if !attributes.isEmpty {
                let entries = attributes.sorted { $0.key < $1.key }
                    .map { "    " + JSONWriter.quote($0.key) + " : " + Self.attributeJSON($0.value) }
                fields.append(("MessageAttributes", "{\n" + entries.joined(separator: ",\n") + "\n  }"))
            }
        } else {
            fields += [
                ("Token", JSONWriter.quote(token ?? "")),
                ("TopicArn", JSONWriter.quote(topicArn)),
                ("Message", JSONWriter.quote(message)),
                ("SubscribeURL", JSONWriter.quote(subscribeURL ?? "")),
                ("Timestamp", JSONWriter.quote(timestamp)),
                ("SignatureVersion", JSONWriter.quote(signatureVersion)),
                ("Signature", JSONWriter.quote(signature)),
                ("SigningCertURL", JSONWriter.quote(signingCertURL)),
            ]
        }
        return JSONWriter.pretty(fields)
    }

    /// The event a subscribed function receives.
    func lambdaEvent(subscriptionArn: String) -> String {
        let attributesJSON = JSONWriter.object(attributes.sorted { $0.key < $1.key }.map { ($0.key, Self.attributeJSON($0.value)) })
        let sns = JSONWriter.object([
            ("Type", JSONWriter.quote(type)),
            ("MessageId", JSONWriter.quote(messageId)),
            ("TopicArn", JSONWriter.quote(topicArn)),
            ("Subject", subject.map(JSONWriter.quote) ?? "null"),
            ("Message", JSONWriter.quote(message)),
            ("Timestamp", JSONWriter.quote(timestamp)),
            ("SignatureVersion", JSONWriter.quote(signatureVersion)),
            ("Signature", JSONWriter.quote(signature)),
            ("SigningCertUrl", JSONWriter.quote(signingCertURL)),
            ("UnsubscribeUrl", JSONWriter.quote(unsubscribeURL)),
            ("MessageAttributes", attributesJSON),
        ])
        let record = JSONWriter.object([
            ("EventSource", JSONWriter.quote("aws:sns")),
            ("EventVersion", JSONWriter.quote("1.0")),
            ("EventSubscriptionArn", JSONWriter.quote(subscriptionArn)),
            ("Sns", sns),
        ])
        return JSONWriter.object([("Records", "[" + record + "]")])
    }
}
