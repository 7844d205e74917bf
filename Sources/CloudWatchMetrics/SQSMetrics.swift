/// The AWS/SQS metrics of one queue (dimension `QueueName`), as SQS publishes them.
public enum SQSMetrics {
    public static let namespace = "AWS/SQS"

    public static func metric(_ name: String, queue: String) -> MetricIdentity {
        MetricIdentity(namespace: namespace, name: name, dimensions: [MetricDimension(name: "QueueName", value: queue)])
    }
}
