import Delivery
import SNSAPI
import Topics

/// Wires SNS: the broker over the store (topics and subscriptions loaded into memory), the signing key and
/// certificate in the data directory, the `sns-subscription` sink (one message to one subscriber) and the `sns`
/// sink (other producers publish to a topic, as its policy allows), and the SNS API on the edge.
enum TopicsWiring: ServiceWiring {
    static func wire(_ context: WiringContext) async throws -> WiredService {
        let configuration = context.configuration
        let broker = TopicBroker(store: context.store, deliveries: context.deliveries,
                                 addressing: TopicAddressing(region: configuration.region, accountId: configuration.accountId),
                                 logger: context.logger)
        try await broker.load()
        let signer = try MessageSigner.loadOrCreate(directory: configuration.dataDir)
        if signer.certificatePEM == nil {
            context.logger.warning("openssl was not found: SNS messages are signed, but no certificate is served at SigningCertURL")
        }
        context.router.register(SubscriptionDeliverySink.channel, SubscriptionDeliverySink(
            router: context.router, signer: signer, http: URLSessionNotifier(), endpointURL: context.endpointURL))
        let authorization = DeliveryAuthorization(authorizer: context.authorizer, accountId: configuration.accountId)
        context.router.register("sns", TopicDeliverySink(broker: broker) { origin, topicArn, policy throws(DeliveryFailure) in
            try authorization.check(origin, action: "sns:Publish", resource: topicArn, resourcePolicy: policy)
        })
        context.changes.on("topic", "subscription") { _ in try await broker.reload() }
        return WiredService(hosted: [SNSService(broker: broker, signer: signer)])
    }
}
