import AWSProtocol
import AccessPolicies

/// A verified request's sender resolved to an identity: who it is to policies (`principal`), whose identity
/// policies apply (`policyOwner`), and what services are told about it (`identity`).
public struct Caller: Sendable {
    public var principal: RequestPrincipal
    public var identity: CallerIdentity
    /// nil for the account root, which no policy limits.
    public var policyOwner: PolicyOwner?

    public var isRoot: Bool { identity.isRoot }
}
