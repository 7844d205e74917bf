import Delivery

/// The `sns` channel: another producer (an EventBridge rule, a schedule, a Lambda destination) publishes `payload`
/// to the topic `target`, with `attributes`, `context["subject"]` and the FIFO ids. The sender must be allowed
/// `sns:Publish` by the topic's policy (a service principal) or its role; `authorize` decides that. A delivery
/// with neither principal nor role is the platform's own (already checked where it was produced).
public struct TopicDeliverySink: DeliverySink {
    public typealias Authorize = @Sendable (_ origin: DeliveryOrigin, _ topicArn: String, _ policy: String?) throws(DeliveryFailure) -> Void

    let broker: TopicBroker
    let authorize: Authorize

    public init(broker: TopicBroker, authorize: @escaping Authorize) {
        self.broker = broker
        self.authorize = authorize
    }

    public func deliver(_ delivery: Delivery) async throws(DeliveryFailure) {
        guard let policy = await broker.policy(of: delivery.target) else {
            throw .notFound("Topic \(delivery.target) does not exist.")
        }
        try authorize(delivery.origin, delivery.target, policy)
        let input = PublishInput(topicArn: delivery.target, message: delivery.payload, subject: delivery.context["subject"],
                                 attributes: delivery.attributes, messageGroupId: delivery.messageGroupId,
                                 messageDeduplicationId: delivery.target.hasSuffix(".fifo") ? delivery.deduplicationId : nil)
        do {
            _ = try await broker.publish(input)
        } catch let error as TopicError {
            throw .init(code: error.code, message: error.message, retryable: error.status >= 500)
        } catch {
            throw .transient("InternalFailure", "The topic did not take the message: \(error)")
        }
    }
}
