import Delivery
import JSONText

/// SNS's retry policies as `DeliveryRetryPolicy` values: the managed policy for AWS-managed endpoints (SQS,
/// Lambda), the HTTP/S default (3 retries, 20 s apart), and a topic's or subscription's `DeliveryPolicy` JSON.
public enum SNSDeliveryPolicy {
    /// AWS-managed endpoints: 100,015 attempts over 23 days, quickly at first, then every 20 s.
    public static let managed = DeliveryRetryPolicy(
        maximumRetries: 100_015, maximumAgeSeconds: 23 * 86_400, backoff: .exponential(initialMs: 1_000, maxMs: 20_000, jitter: 0))

    /// HTTP/S endpoints without a policy: three retries, 20 s apart.
    public static let httpDefault = DeliveryRetryPolicy(maximumRetries: 3, maximumAgeSeconds: nil, backoff: .fixed(ms: 20_000))

    /// The topic's `EffectiveDeliveryPolicy` when none was set.
    public static let defaultEffectiveTopicPolicy = """
        {"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,\
        "numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,\
        "defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}
        """

    /// An HTTP subscription's `EffectiveDeliveryPolicy` when neither it nor its topic set one.
    public static let defaultEffectiveSubscriptionPolicy = """
        {"healthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,\
        "numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"sicklyRetryPolicy":null,\
        "throttlePolicy":null,"requestPolicy":{"headerContentType":"text/plain; charset=UTF-8"},"guaranteed":false}
        """

    /// The retry policy a subscription's deliveries use.
    public static func retry(for subscription: Subscription, topic: Topic) -> DeliveryRetryPolicy {
        guard subscription.isHTTP else { return managed }
        let topicPolicy = topic.attributes["DeliveryPolicy"].flatMap(JSONText.object)
        let topicHealthy = topicPolicy?["http"]?["defaultHealthyRetryPolicy"]
        let overridesDisabled = topicPolicy?["http"]?["disableSubscriptionOverrides"]?.boolValue ?? false
        let subscriptionHealthy = overridesDisabled ? nil : subscription.attributes["DeliveryPolicy"]
            .flatMap(JSONText.object)?["healthyRetryPolicy"]
        guard let chosen = subscriptionHealthy ?? topicHealthy else { return httpDefault }
        return retry(fromHealthy: chosen)
    }

    /// The `Content-Type` of HTTP/S notifications: the subscription's `requestPolicy.headerContentType`, else the
    /// topic's `http.defaultRequestPolicy.headerContentType`, else SNS's `text/plain; charset=UTF-8`.
    public static func contentType(for subscription: Subscription, topic: Topic) -> String {
        let own = subscription.attributes["DeliveryPolicy"].flatMap(JSONText.object)?["requestPolicy"]?["headerContentType"]?.stringValue
        let inherited = topic.attributes["DeliveryPolicy"].flatMap(JSONText.object)?["http"]?["defaultRequestPolicy"]?["headerContentType"]?.stringValue
        return own ?? inherited ?? "text/plain; charset=UTF-8"
    }

    static func retry(fromHealthy policy: JSONText) -> DeliveryRetryPolicy {
        let retries = policy["numRetries"]?.intValue ?? 3
        let minDelay = Int64(policy["minDelayTarget"]?.intValue ?? 20)
        let maxDelay = Int64(policy["maxDelayTarget"]?.intValue ?? 20)
        let backoff: DeliveryRetryPolicy.Backoff = minDelay >= maxDelay
            ? .fixed(ms: minDelay * 1000)
            : .exponential(initialMs: max(1, minDelay) * 1000, maxMs: maxDelay * 1000, jitter: 0)
        return DeliveryRetryPolicy(maximumRetries: retries, maximumAgeSeconds: nil, backoff: backoff)
    }

    /// Checks a topic's (`topic == true`) or subscription's DeliveryPolicy as SNS does: JSON, retries 0…100,
    /// delays 1…3600 s with min ≤ max.
    public static func validate(_ json: String, topic: Bool) throws(TopicError) {
        guard let root = JSONText.object(json) else {
            throw .invalidParameter("DeliveryPolicy", reason: "Delivery policy must be a JSON object")
        }
        let healthy: JSONText?
        if topic {
            for key in root.keys where !["http", "https"].contains(key) {
                throw .invalidParameter("DeliveryPolicy", reason: "Delivery protocol [\(key)] is not supported")
            }
            healthy = root["http"]?["defaultHealthyRetryPolicy"]
        } else {
            healthy = root["healthyRetryPolicy"]
        }
        guard let healthy else { return }
        let numbers: [(String, ClosedRange<Int>)] = [
            ("numRetries", 0...100), ("minDelayTarget", 1...3600), ("maxDelayTarget", 1...3600),
            ("numNoDelayRetries", 0...100), ("numMinDelayRetries", 0...100), ("numMaxDelayRetries", 0...100),
        ]
        for (name, range) in numbers {
            guard let value = healthy[name] else { continue }
            guard let n = value.intValue, range.contains(n) else {
                throw .invalidParameter("DeliveryPolicy", reason: "\(name) must be in the range [\(range.lowerBound) - \(range.upperBound)]")
            }
        }
        if let min = healthy["minDelayTarget"]?.intValue, let max = healthy["maxDelayTarget"]?.intValue, min > max {
            throw .invalidParameter("DeliveryPolicy", reason: "minDelayTarget must be less than or equal to maxDelayTarget")
        }
        if let backoff = healthy["backoffFunction"], !["linear", "arithmetic", "geometric", "exponential"].contains(backoff.stringValue ?? "") {
            throw .invalidParameter("DeliveryPolicy", reason: "backoffFunction must be one of linear, arithmetic, geometric, exponential")
        }
    }
}
