/// The outcome of evaluating a request against a principal's policies and the resource's policy.
public enum Decision: Sendable, Equatable {
    case allow
    /// A matching `Deny` statement; the source says which kind of policy held it.
    case explicitDeny(DenySource)
    /// No statement allowed the request (and none denied it).
    case implicitDeny
}

/// The kind of policy whose `Deny` statement decided a request.
public enum DenySource: Sendable, Equatable {
    case identityPolicy
    case resourcePolicy
}
