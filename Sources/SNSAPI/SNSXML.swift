import AWSProtocol
import Topics

/// The XML shapes SNS answers with.
enum SNSXML {
    /// A map as the query protocol writes it: `<Name><entry><key>…</key><value>…</value></entry>…</Name>`.
    static func map(_ name: String, _ values: [String: String]) -> XMLNode {
        XMLNode(name, values.sorted { $0.key < $1.key }.map { entry in
            XMLNode("entry", [XMLNode("key", text: entry.key), XMLNode("value", text: entry.value)])
        })
    }

    static func subscriptions(_ list: [Subscription]) -> XMLNode {
        XMLNode.list("Subscriptions", list.map { subscription in
            XMLNode("member", [
                XMLNode("SubscriptionArn", text: subscription.pendingConfirmation ? "PendingConfirmation" : subscription.arn),
                XMLNode("Owner", text: subscription.owner),
                XMLNode("Protocol", text: subscription.protocol),
                XMLNode("Endpoint", text: subscription.endpoint),
                XMLNode("TopicArn", text: subscription.topicArn),
            ])
        })
    }
}
