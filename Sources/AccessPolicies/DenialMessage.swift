/// The message AWS returns with `AccessDenied` / `AccessDeniedException` when a request is refused, e.g.
/// `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: lambda:InvokeFunction on resource:
/// arn:aws:lambda:us-east-1:123456789012:function:orders because no identity-based policy allows the
/// lambda:InvokeFunction action`. AWS words every caller `User:`, role sessions included.
public enum DenialMessage {
    /// The message for a refused request; nil when `decision` is `.allow`. An implicit deny is worded with
    /// "no identity-based policy allows", which AWS uses whether or not a resource policy was consulted.
    public static func text(for request: AuthorizationRequest, decision: Decision) -> String? {
        text(principalArn: request.principal.arn, action: request.action, resource: request.resource, decision: decision)
    }

    public static func text(principalArn: String, action: String, resource: String, decision: Decision) -> String? {
        let head = "User: \(principalArn) is not authorized to perform: \(action) on resource: \(resource)"
        switch decision {
        case .allow: return nil
        case .explicitDeny(.identityPolicy): return head + " with an explicit deny in an identity-based policy"
        case .explicitDeny(.resourcePolicy): return head + " with an explicit deny in a resource-based policy"
        case .implicitDeny: return head + " because no identity-based policy allows the \(action) action"
        }
    }
}
