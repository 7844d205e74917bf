/// Which successful requests changed configuration that other nodes of a cluster cache, so that the node answers them
/// only after its write fence (the change's notification is on its way to every node): CreateFunction, PutRolePolicy,
/// PutRule, … — not the data plane (sending and deleting messages, publishing, putting log events or metric data),
/// which nobody caches, and not reads.
enum ConfigurationWrites {
    static let prefixes = ["Create", "Update", "Delete", "Put", "Add", "Remove", "Attach", "Detach", "Tag", "Untag", "Set",
                           "Enable", "Disable", "Publish", "Associate", "Disassociate", "Subscribe", "Unsubscribe",
                           "Confirm", "Change", "Start", "Cancel", "Upload"]
    static let dataPlane: Set<String> = [
        "PutLogEvents", "PutMetricData", "PutEvents", "PutPartnerEvents", "PutTraceSegments", "PutTelemetryRecords",
        "DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch",
        "Publish", "PublishBatch", "StartLiveTail", "SetAlarmState",
    ]

    static func changesConfiguration(method: String, operation: String, status: Int) -> Bool {
        guard (200..<300).contains(status), !dataPlane.contains(operation) else { return false }
        // API Gateway's REST control plane has no operation names here: any write method.
        if operation == "unknown" { return method != "GET" && method != "HEAD" }
        return prefixes.contains { operation.hasPrefix($0) }
    }
}
