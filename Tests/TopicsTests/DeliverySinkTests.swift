import Delivery
import Foundation
import Synchronization
import Testing
import _CryptoExtras
@testable import Topics

/// A sink that records what it was given (or fails).
final class RecordingSink: DeliverySink, Sendable {
    let received = Mutex<[Delivery]>([])
    let failure: DeliveryFailure?

    init(failing failure: DeliveryFailure? = nil) {
        self.failure = failure
    }

    func deliver(_ delivery: Delivery) async throws(DeliveryFailure) {
        received.withLock { $0.append(delivery) }
        if let failure { throw failure }
    }

    var all: [Delivery] { received.withLock { $0 } }
}

/// An HTTP endpoint that answers a fixed status and keeps the requests.
final class RecordingNotifier: HTTPNotifier, Sendable {
    let requests = Mutex<[(url: String, headers: [(name: String, value: String)], body: String)]>([])
    let status: Int

    init(status: Int) {
        self.status = status
    }

    func post(url: String, headers: [(name: String, value: String)], body: String) async throws -> Int {
        requests.withLock { $0.append((url, headers, body)) }
        return status
    }
}

struct DeliverySinkTests {
    static let signer = MessageSigner(key: try! _RSA.Signing.PrivateKey(keySize: .bits2048), certificatePEM: nil)
    let topic = "arn:aws:sns:us-east-1:000000000000:t"

    func delivery(protocol proto: String, endpoint: String, raw: Bool = false, deadLetter: String? = nil, attempts: Int = 0) -> Delivery {
        var context = ["type": "Notification", "topicArn": topic, "messageId": "m-1", "timestamp": "2026-01-01T00:00:00.000Z",
                       "protocol": proto, "endpoint": endpoint, "signatureVersion": "1"]
        if raw { context["raw"] = "true" }
        if let deadLetter { context["deadLetterTarget"] = deadLetter }
        return Delivery(id: "d-1", channel: SubscriptionDeliverySink.channel, target: topic + ":sub", payload: "hello",
                        attributes: ["k": .string("v")], origin: DeliveryOrigin(servicePrincipal: "sns.amazonaws.com", sourceArn: topic),
                        retry: SNSDeliveryPolicy.httpDefault, acceptedAt: 0, attempts: attempts, context: context)
    }

    func sink(router: DeliveryRouter, http: any HTTPNotifier = RecordingNotifier(status: 200)) -> SubscriptionDeliverySink {
        SubscriptionDeliverySink(router: router, signer: Self.signer, http: http, endpointURL: { "http://127.0.0.1:9" })
    }

    @Test func sqsEnvelopeAndRaw() async throws {
        let router = DeliveryRouter()
        let queue = RecordingSink()
        router.register("sqs", queue)
        try await sink(router: router).deliver(delivery(protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:q"))
        try await sink(router: router).deliver(delivery(protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:q", raw: true))
        let (envelope, raw) = (queue.all[0], queue.all[1])
        #expect(envelope.target == "arn:aws:sqs:us-east-1:000000000000:q" && envelope.attributes.isEmpty)
        #expect(envelope.payload.contains(#""Type" : "Notification""#) && envelope.payload.contains(#""SigningCertURL" : "http://127.0.0.1:9/_sns/"#))
        #expect(envelope.origin == DeliveryOrigin(servicePrincipal: "sns.amazonaws.com", sourceArn: topic))
        #expect(raw.payload == "hello" && raw.attributes == ["k": .string("v")])
    }

    @Test func lambdaEvent() async throws {
        let router = DeliveryRouter()
        let functions = RecordingSink()
        router.register("lambda", functions)
        try await sink(router: router).deliver(delivery(protocol: "lambda", endpoint: "arn:aws:lambda:us-east-1:000000000000:function:f"))
        let invoke = try #require(functions.all.first)
        #expect(invoke.target == "arn:aws:lambda:us-east-1:000000000000:function:f")
        #expect(invoke.payload.hasPrefix(#"{"Records":[{"EventSource":"aws:sns""#))
    }

    @Test func httpHeadersAndStatuses() async throws {
        let ok = RecordingNotifier(status: 404)
        try await sink(router: DeliveryRouter(), http: ok).deliver(delivery(protocol: "http", endpoint: "http://127.0.0.1:1/x"))
        let request = try #require(ok.requests.withLock { $0.first })
        let headers = Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(headers["x-amz-sns-message-type"] == "Notification")
        #expect(headers["x-amz-sns-subscription-arn"] == topic + ":sub")
        #expect(headers["Content-Type"] == "text/plain; charset=UTF-8")
        let failing = RecordingNotifier(status: 503)
        await #expect(throws: DeliveryFailure.self) {
            try await sink(router: DeliveryRouter(), http: failing).deliver(delivery(protocol: "http", endpoint: "http://127.0.0.1:1/x"))
        }
    }

    @Test func exhaustedDeliveryGoesToTheDeadLetterQueue() async throws {
        let router = DeliveryRouter()
        let queue = RecordingSink()
        router.register("sqs", queue)
        let dlq = "arn:aws:sqs:us-east-1:000000000000:dlq"
        let failing = RecordingNotifier(status: 500)
        // Retries left: the failure stands (the delivery path retries it).
        await #expect(throws: DeliveryFailure.self) {
            try await sink(router: router, http: failing).deliver(delivery(protocol: "http", endpoint: "http://x/", deadLetter: dlq, attempts: 1))
        }
        #expect(queue.all.isEmpty)
        // The last attempt: the envelope goes to the dead-letter queue and the delivery is done.
        try await sink(router: router, http: failing).deliver(delivery(protocol: "http", endpoint: "http://x/", deadLetter: dlq, attempts: 3))
        let letter = try #require(queue.all.first)
        #expect(letter.target == dlq && letter.payload.contains(#""MessageId" : "m-1""#))
    }

    @Test func topicSinkPublishesAsAllowed() async throws {
        let f = BrokerFixture()
        let arn = try await f.broker.createTopic(name: "t", attributes: [:], tags: [:]).arn
        _ = try await f.broker.subscribe(topicArn: arn, protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:q", attributes: [:], returnArn: false)
        let allowing = TopicDeliverySink(broker: f.broker) { _, _, policy throws(DeliveryFailure) in
            #expect(policy?.contains("__default_policy_ID") == true)
        }
        let event = Delivery(id: "e", channel: "sns", target: arn, payload: "from a rule", origin: DeliveryOrigin(servicePrincipal: "events.amazonaws.com"),
                             retry: .eventBridgeDefault, acceptedAt: 0, context: ["subject": "S"])
        try await allowing.deliver(event)
        #expect(f.deliveries.all.first?.payload == "from a rule" && f.deliveries.all.first?.context["subject"] == "S")
        let denying = TopicDeliverySink(broker: f.broker) { _, _, _ throws(DeliveryFailure) in throw .denied("no") }
        await #expect(throws: DeliveryFailure.denied("no")) { try await denying.deliver(event) }
        var missing = event
        missing.target = arn + "-missing"
        await #expect(throws: DeliveryFailure.self) { try await allowing.deliver(missing) }
        #expect(f.deliveries.all.count == 1)
    }
}
