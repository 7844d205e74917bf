import Delivery
import Testing
@testable import Topics

/// Topics, subscriptions and publishing over in-memory stores.
struct TopicBrokerTests {
    let queue = "arn:aws:sqs:us-east-1:000000000000:q"

    @Test func createTopicIsIdempotentWithSameAttributes() async throws {
        let f = BrokerFixture()
        let a = try await f.broker.createTopic(name: "t", attributes: ["DisplayName": "x"], tags: [:])
        let b = try await f.broker.createTopic(name: "t", attributes: ["DisplayName": "x"], tags: [:])
        #expect(a.arn == b.arn && a.arn == "arn:aws:sns:us-east-1:000000000000:t")
        await #expect(throws: TopicError.invalidParameter("Attributes", reason: "Topic already exists with different attributes")) {
            _ = try await f.broker.createTopic(name: "t", attributes: ["DisplayName": "y"], tags: [:])
        }
        await #expect(throws: TopicError.self) { _ = try await f.broker.createTopic(name: "bad name", attributes: [:], tags: [:]) }
        await #expect(throws: TopicError.self) { _ = try await f.broker.createTopic(name: "x.fifo", attributes: [:], tags: [:]) }
        let attributes = try await f.broker.topicAttributes(a.arn)
        #expect(attributes["Policy"]?.contains("__default_policy_ID") == true)
        #expect(attributes["Owner"] == "000000000000")
        #expect(attributes["SubscriptionsConfirmed"] == "0")
    }

    @Test func publishFansOutThroughFilters() async throws {
        let f = BrokerFixture()
        let topic = try await f.broker.createTopic(name: "t", attributes: [:], tags: [:])
        let all = try await f.broker.subscribe(topicArn: topic.arn, protocol: "sqs", endpoint: queue, attributes: [:], returnArn: false)
        let red = try await f.broker.subscribe(topicArn: topic.arn, protocol: "sqs", endpoint: queue + "2",
                                               attributes: ["FilterPolicy": #"{"color":["red"]}"#, "RawMessageDelivery": "true"], returnArn: false)
        let result = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: "hi", subject: "S",
                                                             attributes: ["color": .string("blue")]))
        #expect(f.deliveries.batches.count == 1)
        #expect(f.deliveries.all.map(\.target) == [all])
        let d = try #require(f.deliveries.all.first)
        #expect(d.channel == "sns-subscription")
        #expect(d.context["messageId"] == result.messageId)
        #expect(d.context["subject"] == "S")
        #expect(d.origin == DeliveryOrigin(servicePrincipal: "sns.amazonaws.com", sourceArn: topic.arn))
        _ = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: "hi", attributes: ["color": .string("red")]))
        #expect(Set(f.deliveries.batches[1].map(\.target)) == [all, red])
        #expect(f.deliveries.batches[1].first { $0.target == red }?.context["raw"] == "true")
    }

    @Test func messageStructureJSON() async throws {
        let f = BrokerFixture()
        let topic = try await f.broker.createTopic(name: "t", attributes: [:], tags: [:])
        _ = try await f.broker.subscribe(topicArn: topic.arn, protocol: "sqs", endpoint: queue, attributes: [:], returnArn: false)
        _ = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: #"{"default":"d","sqs":"for sqs"}"#, messageStructure: "json"))
        #expect(f.deliveries.all.first?.payload == "for sqs")
        await #expect(throws: TopicError.invalid("Invalid parameter: Message Structure - No default entry in JSON message body")) {
            _ = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: #"{"sqs":"x"}"#, messageStructure: "json"))
        }
    }

    @Test func badInputChangesNothing() async throws {
        let f = BrokerFixture()
        let topic = try await f.broker.createTopic(name: "t", attributes: [:], tags: [:])
        await #expect(throws: TopicError.self) {
            _ = try await f.broker.subscribe(topicArn: topic.arn, protocol: "email", endpoint: "a@b.c", attributes: [:], returnArn: false)
        }
        await #expect(throws: TopicError.self) {
            _ = try await f.broker.subscribe(topicArn: topic.arn, protocol: "sqs", endpoint: queue,
                                             attributes: ["FilterPolicy": #"{"a":[{"bogus":1}]}"#], returnArn: false)
        }
        await #expect(throws: TopicError.self) {
            _ = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: String(repeating: "x", count: 262_145)))
        }
        await #expect(throws: TopicError.self) {
            _ = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: "m", attributes: ["n": .init(dataType: "Number", stringValue: "abc")]))
        }
        await #expect(throws: TopicError.topicNotFound) {
            _ = try await f.broker.publish(PublishInput(topicArn: topic.arn + "x", message: "m"))
        }
        #expect(try await f.broker.listSubscriptions(topicArn: topic.arn, nextToken: nil).subscriptions.isEmpty)
        #expect(f.deliveries.all.isEmpty)
    }

    @Test func fifoDeduplicates() async throws {
        let f = BrokerFixture()
        let topic = try await f.broker.createTopic(name: "t.fifo", attributes: ["FifoTopic": "true", "ContentBasedDeduplication": "true"], tags: [:])
        await #expect(throws: TopicError.self) {
            _ = try await f.broker.subscribe(topicArn: topic.arn, protocol: "sqs", endpoint: queue, attributes: [:], returnArn: false)
        }
        _ = try await f.broker.subscribe(topicArn: topic.arn, protocol: "sqs", endpoint: queue + ".fifo", attributes: [:], returnArn: false)
        await #expect(throws: TopicError.self) { _ = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: "m")) }
        let first = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: "m", messageGroupId: "g"))
        let second = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: "m", messageGroupId: "g"))
        #expect(first.messageId == second.messageId)
        #expect(first.sequenceNumber != nil)
        #expect(f.deliveries.all.count == 1)
        #expect(f.deliveries.all.first?.messageGroupId == "g")
    }

    @Test func httpSubscriptionsWaitForConfirmation() async throws {
        let f = BrokerFixture()
        let topic = try await f.broker.createTopic(name: "t", attributes: [:], tags: [:])
        let answer = try await f.broker.subscribe(topicArn: topic.arn, protocol: "http", endpoint: "http://127.0.0.1:9/x", attributes: [:], returnArn: false)
        #expect(answer == "pending confirmation")
        let confirmation = try #require(f.deliveries.all.first)
        #expect(confirmation.context["type"] == "SubscriptionConfirmation")
        #expect(confirmation.retry == SNSDeliveryPolicy.httpDefault)
        _ = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: "m"))
        #expect(f.deliveries.all.count == 1)
        let token = try #require(confirmation.context["token"])
        await #expect(throws: TopicError.self) { _ = try await f.broker.confirm(topicArn: topic.arn, token: "nope", authenticated: false) }
        let arn = try await f.broker.confirm(topicArn: topic.arn, token: token, authenticated: false)
        #expect(try await f.broker.subscriptionAttributes(arn)["PendingConfirmation"] == "false")
        _ = try await f.broker.publish(PublishInput(topicArn: topic.arn, message: "m"))
        #expect(f.deliveries.all.count == 2)
    }

    @Test func deliveryPolicies() async throws {
        let f = BrokerFixture()
        let policy = #"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":1,"numRetries":5}}}"#
        let topic = try await f.broker.createTopic(name: "t", attributes: ["DeliveryPolicy": policy], tags: [:])
        let sub = Subscription(arn: "a", topicArn: topic.arn, protocol: "http", endpoint: "http://x", owner: "0", attributes: [:],
                               pendingConfirmation: false, confirmationWasAuthenticated: false)
        #expect(SNSDeliveryPolicy.retry(for: sub, topic: topic) == DeliveryRetryPolicy(maximumRetries: 5, maximumAgeSeconds: nil, backoff: .fixed(ms: 1000)))
        var sqs = sub
        sqs.protocol = "sqs"
        #expect(SNSDeliveryPolicy.retry(for: sqs, topic: topic) == SNSDeliveryPolicy.managed)
        await #expect(throws: TopicError.self) {
            try await f.broker.setTopicAttribute(topic.arn, name: "DeliveryPolicy", value: #"{"http":{"defaultHealthyRetryPolicy":{"numRetries":500}}}"#)
        }
    }

    @Test func persistsAcrossReload() async throws {
        let f = BrokerFixture()
        let topic = try await f.broker.createTopic(name: "t", attributes: [:], tags: ["k": "v"])
        let sub = try await f.broker.subscribe(topicArn: topic.arn, protocol: "lambda",
                                               endpoint: "arn:aws:lambda:us-east-1:000000000000:function:f", attributes: [:], returnArn: false)
        let service = DeliveryService(store: f.deliveries, router: DeliveryRouter(), logger: .init(label: "t"))
        let again = TopicBroker(store: f.topics, deliveries: service, addressing: f.broker.addressing, logger: .init(label: "t"))
        try await again.load()
        #expect(try await again.tags(of: topic.arn) == ["k": "v"])
        #expect(try await again.subscriptionAttributes(sub)["Protocol"] == "lambda")
    }
}

/// FIFO deduplication ids are remembered for five minutes, then forgotten in the order they came.
struct DeduplicationWindowTests {
    @Test func expires() {
        var window = DeduplicationWindow()
        window.remember("a", messageId: "m-a", until: 100)
        window.remember("b", messageId: "m-b", until: 200)
        #expect(window.seen("a", now: 99) == "m-a")
        #expect(window.seen("a", now: 100) == nil)
        #expect(window.seen("b", now: 150) == "m-b")
        window.remember("a", messageId: "m-a2", until: 400)
        #expect(window.seen("a", now: 300) == "m-a2")
        #expect(window.seen("b", now: 300) == nil)
        for i in 0..<3000 { window.remember("x\(i)", messageId: "m", until: 500 + Int64(i)) }
        #expect(window.seen("x2999", now: 3000) == "m")
        #expect(window.seen("x0", now: 3000) == nil)
    }
}
