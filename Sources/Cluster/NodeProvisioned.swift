/// The provisioned environments a node keeps for one provisioned-concurrency configuration, as it reports at each
/// heartbeat: any node answers GetProvisionedConcurrencyConfig with the sum over the serving nodes.
public struct NodeProvisioned: Sendable, Codable, Equatable, Hashable {
    public var function: String
    /// The configuration's qualifier: a version number or an alias name.
    public var qualifier: String
    /// Environments initialised and alive now.
    public var allocated: Int
    /// Why bringing one up failed, while fewer than the node's share are alive.
    public var failure: String?

    public init(function: String, qualifier: String, allocated: Int, failure: String? = nil) {
        self.function = function
        self.qualifier = qualifier
        self.allocated = allocated
        self.failure = failure
    }
}
