/// AWS's policy evaluation logic for requests within one account.
public enum PolicyEvaluator {
    /// The decision for `request`:
    /// 1. a `Deny` statement covering the request in any identity policy, or in the resource policy, is an explicit deny;
    /// 2. otherwise an `Allow` in the resource policy whose `Principal` names the caller allows it (in the same account
    ///    a resource policy alone suffices);
    /// 3. otherwise an `Allow` in any identity policy allows it;
    /// 4. otherwise the request is implicitly denied.
    ///
    /// The root user gets no special treatment here: the caller decides whether it bypasses policies. An account
    /// principal in the resource policy's `Allow` names the account's root only (see `PrincipalMatcher`).
    /// Cross-account requests, where both the resource policy and the caller's identity policies must allow, are not
    /// modelled: the caller and the resource are taken to be in the same account.
    public static func evaluate(_ request: AuthorizationRequest, identityPolicies: [Policy], resourcePolicy: Policy?) -> Decision {
        EvaluationContext.with(request) { context in
            for policy in identityPolicies where policy.denies(context, delegatingAccounts: false) {
                return .explicitDeny(.identityPolicy)
            }
            if let resourcePolicy {
                if resourcePolicy.denies(context, delegatingAccounts: false) { return .explicitDeny(.resourcePolicy) }
                if resourcePolicy.allows(context, delegatingAccounts: false) { return .allow }
            }
            for policy in identityPolicies where policy.allows(context, delegatingAccounts: false) {
                return .allow
            }
            return .implicitDeny
        }
    }

    /// Whether a role's trust policy lets `request.principal` perform `request.action` (normally `sts:AssumeRole`):
    /// no `Deny` covers it and an `Allow` does. Here an account principal names every principal of that account
    /// (the trust delegates to the account); the caller still checks the principal's identity policies for them.
    public static func trusts(_ trustPolicy: Policy, request: AuthorizationRequest) -> Bool {
        EvaluationContext.with(request) { context in
            !trustPolicy.denies(context, delegatingAccounts: true) && trustPolicy.allows(context, delegatingAccounts: true)
        }
    }
}
