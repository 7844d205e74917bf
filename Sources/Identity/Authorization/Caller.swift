import AWSProtocol
import AccessPolicies

/// A verified request's sender resolved to an identity: who it is to policies (`principal`), whose identity
/// policies apply (`policyOwner`), and what services are told about it (`identity`).
public struct Caller: Sendable {
    public var principal: RequestPrincipal
    public var identity: CallerIdentity
    /// nil for the account root, which no policy limits.
    public var policyOwner: PolicyOwner?
    /// A role session's session policies, which limit it further.
    public var sessionPolicy: SessionPolicy?
    /// The user's or role's permissions boundary (a managed policy ARN), which limits what its policies grant.
    public var permissionsBoundary: String?
    /// Credentials from GetSessionToken: they may not call IAM (without MFA, which this server does not have).
    public var isSessionTokenSession = false
    /// Condition keys of the request itself (`aws:SourceIp`, `aws:RequestedRegion`, …), set by the edge.
    public var requestContext: [String: [String]] = [:]

    public var isRoot: Bool { identity.isRoot }

    /// Whether the edge checks this caller's permissions: everyone's but the account root's own keys.
    public var needsAuthorization: Bool { !isRoot || isSessionTokenSession }
}
