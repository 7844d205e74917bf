import Auth
import Cluster
import Invoker
import LambdaAPI
import Logging
import PlatformMetrics

/// Routing for warmth in a cluster's node: the `WarmRouter` (a background service reading where each function
/// revision is warm) and the `InvokeForwarder` the Lambda API sends a sync invoke through rather than cold-start.
/// This node's own warmth goes out with its heartbeat (`warmth(of:)` in `NodeLoad.warm`).
struct WarmRouting: Sendable {
    let router: WarmRouter
    let forwarder: InvokeForwarder

    init(store: any NodeStore, nodeId: String, root: Credentials, region: String, metrics: PlatformMetrics, logger: Logger) {
        let router = WarmRouter(store: store, nodeId: nodeId, logger: logger)
        self.router = router
        forwarder = InvokeForwarder(
            nodeId: nodeId, signer: SigV4Signer(credentials: root, region: region, service: LambdaService.lambdaSigningName),
            peers: router,
            onForward: { _ in metrics.countForwardedInvoke(outcome: "forwarded") },
            onFailure: { peer, failure in
                metrics.countForwardedInvoke(outcome: "fell_back")
                logger.warning("forwarding an invoke to a warm node failed; running it here", metadata: [
                    "peer": "\(peer)", "reason": "\(failure)"])
            })
        let warmElsewhere = metrics.stateGauge(MetricNames.warmElsewhere, labelNames: ["function"])
        metrics.addCollector {
            warmElsewhere.publish(Dictionary(uniqueKeysWithValues: router.peersByFunction().map { ([$0.key], Double($0.value)) }))
        }
    }

    /// This node's idle environments by function revision, for its heartbeat.
    static func warmth(of invoker: Invoker) -> [NodeWarmth] {
        invoker.idleEnvironments().map { NodeWarmth(function: $0.function, version: $0.version, revisionId: $0.revisionId, idle: $0.idle) }
    }
}

/// The router is where the Lambda API's forwarder finds peers (the two modules do not know each other).
extension WarmRouter: WarmPeers {}
