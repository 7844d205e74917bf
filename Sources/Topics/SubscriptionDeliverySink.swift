import Delivery
import Foundation

/// The `sns-subscription` channel: one published message to one subscription (target = subscription ARN), by
/// protocol — SQS through the `sqs` sink (the envelope, or the raw message with its attributes as SQS message
/// attributes), Lambda through the `lambda` sink (the `Records[].Sns` event), HTTP/S by POST with SNS's headers.
/// SQS and Lambda sends are from `sns.amazonaws.com` with the topic as `aws:SourceArn`, so the queue's or
/// function's policy must allow it. A delivery that fails for good (out of retries, or a failure that will not
/// heal) goes to the subscription's RedrivePolicy queue as the subscriber would have received it.
public struct SubscriptionDeliverySink: DeliverySink {
    public static let channel = "sns-subscription"

    let router: DeliveryRouter
    let signer: MessageSigner
    let http: any HTTPNotifier
    /// The main listener's URL (`http://127.0.0.1:8900`), for the certificate, subscribe and unsubscribe URLs.
    let endpointURL: @Sendable () -> String?

    public init(router: DeliveryRouter, signer: MessageSigner, http: any HTTPNotifier, endpointURL: @escaping @Sendable () -> String?) {
        self.router = router
        self.signer = signer
        self.http = http
        self.endpointURL = endpointURL
    }

    public func deliver(_ delivery: Delivery) async throws(DeliveryFailure) {
        do throws(DeliveryFailure) {
            try await send(delivery)
        } catch {
            guard let deadLetter = delivery.context["deadLetterTarget"],
                  !error.retryable || delivery.attempts >= delivery.retry.maximumRetries else { throw error }
            let raw = delivery.context["raw"] == "true"
            let letter = Delivery(
                id: UUID().uuidString.lowercased(), channel: "sqs", target: deadLetter,
                payload: raw ? delivery.payload : envelope(delivery).httpJSON,
                attributes: raw ? delivery.attributes : [:], messageGroupId: delivery.messageGroupId,
                deduplicationId: delivery.deduplicationId, origin: delivery.origin,
                retry: DeliveryRetryPolicy(maximumRetries: 0, maximumAgeSeconds: nil, backoff: .fixed(ms: 0)), acceptedAt: delivery.acceptedAt)
            guard let sink = router.sink(for: "sqs") else { throw error }
            // When the dead-letter queue does not take it either, the original failure stands (and is retried or dropped).
            do throws(DeliveryFailure) { try await sink.deliver(letter) } catch _ { throw error }
        }
    }

    var base: String { endpointURL() ?? "http://127.0.0.1" }

    /// The envelope of a delivery's message, signed.
    func envelope(_ delivery: Delivery) -> NotificationEnvelope {
        let c = delivery.context
        let type = c["type"] ?? "Notification"
        let topicArn = c["topicArn"] ?? ""
        let messageId = c["messageId"] ?? delivery.id
        let timestamp = c["timestamp"] ?? ""
        let version = c["signatureVersion"] ?? "1"
        var envelope = NotificationEnvelope(
            type: type, messageId: messageId, topicArn: topicArn, subject: c["subject"], message: delivery.payload,
            timestamp: timestamp, signatureVersion: version, signature: "", signingCertURL: SNSPaths.signingCertURL(base: base),
            unsubscribeURL: SNSPaths.unsubscribeURL(base: base, subscriptionArn: delivery.target), attributes: delivery.attributes,
            sequenceNumber: c["sequenceNumber"])
        if type == "Notification" {
            envelope.signature = signer.signature(messageId: messageId, version: version, MessageSigner.notificationString(
                message: delivery.payload, messageId: messageId, subject: c["subject"], timestamp: timestamp, topicArn: topicArn))
        } else {
            let token = c["token"] ?? ""
            let subscribeURL = SNSPaths.subscribeURL(base: base, topicArn: topicArn, token: token)
            envelope.token = token
            envelope.subscribeURL = subscribeURL
            envelope.signature = signer.sign(MessageSigner.confirmationString(
                type: type, message: delivery.payload, messageId: messageId, subscribeURL: subscribeURL, timestamp: timestamp,
                token: token, topicArn: topicArn), version: version)
        }
        return envelope
    }

    func send(_ delivery: Delivery) async throws(DeliveryFailure) {
        let proto = delivery.context["protocol"] ?? ""
        let endpoint = delivery.context["endpoint"] ?? ""
        switch proto {
        case "sqs":
            let raw = delivery.context["raw"] == "true"
            let message = Delivery(
                id: delivery.id, channel: "sqs", target: endpoint, payload: raw ? delivery.payload : envelope(delivery).httpJSON,
                attributes: raw ? delivery.attributes : [:], messageGroupId: delivery.messageGroupId,
                deduplicationId: delivery.deduplicationId, origin: delivery.origin, retry: delivery.retry, acceptedAt: delivery.acceptedAt)
            guard let sink = router.sink(for: "sqs") else { throw .notFound("No queue sink is registered.") }
            try await sink.deliver(message)
        case "lambda":
            let event = envelope(delivery).lambdaEvent(subscriptionArn: delivery.target)
            let invoke = Delivery(id: delivery.id, channel: "lambda", target: endpoint, payload: event, origin: delivery.origin,
                                  retry: delivery.retry, acceptedAt: delivery.acceptedAt)
            guard let sink = router.sink(for: "lambda") else { throw .notFound("No function sink is registered.") }
            try await sink.deliver(invoke)
        case "http", "https":
            try await post(delivery, to: endpoint)
        default:
            throw .init(code: "InvalidParameter", message: "The \(proto) protocol is not supported.", retryable: false)
        }
    }

    func post(_ delivery: Delivery, to endpoint: String) async throws(DeliveryFailure) {
        let type = delivery.context["type"] ?? "Notification"
        let envelope = envelope(delivery)
        let raw = type == "Notification" && delivery.context["raw"] == "true"
        var headers: [(name: String, value: String)] = [
            ("x-amz-sns-message-type", type),
            ("x-amz-sns-message-id", envelope.messageId),
            ("x-amz-sns-topic-arn", envelope.topicArn),
            ("Content-Type", delivery.context["contentType"] ?? "text/plain; charset=UTF-8"),
            ("User-Agent", "Amazon Simple Notification Service Agent"),
        ]
        if type == "Notification" { headers.append(("x-amz-sns-subscription-arn", delivery.target)) }
        if raw { headers.append(("x-amz-sns-rawdelivery", "true")) }
        let status: Int
        do {
            status = try await http.post(url: endpoint, headers: headers, body: raw ? delivery.payload : envelope.httpJSON)
        } catch {
            throw .transient("EndpointUnreachable", "The endpoint did not answer: \(error)")
        }
        // SNS counts 2xx–4xx as delivered; 5xx (and no answer) are retried.
        guard status >= 200, status < 500 else {
            throw .transient("EndpointError", "The endpoint answered HTTP \(status).")
        }
    }
}
