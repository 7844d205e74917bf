/// Routing for warmth in a cluster: sync invokes this node sent to a node with the function revision warm.
extension MetricNames {
    /// Label `outcome`: `forwarded` (the peer answered) or `fell_back` (unreachable or 5xx: ran here instead).
    public static let forwardedInvokes = Family(
        name: "swiftlet_forwarded_invokes_total",
        help: "Sync invokes sent to another node of the cluster with the function warm, by outcome: forwarded or fell_back.")
    /// Label `function`. Set when scraped.
    public static let warmElsewhere = Family(
        name: "swiftlet_warm_elsewhere",
        help: "Other nodes of the cluster that reported an idle environment of the function, as this node last read.")
}

extension PlatformMetrics {
    /// Counts one forward by `outcome` (`forwarded`, `fell_back`).
    public func countForwardedInvoke(outcome: String) {
        registry.makeCounter(descriptor: MetricNames.forwardedInvokes.descriptor, labels: [("outcome", outcome)]).increment()
    }
}
