import AWSProtocol
import AccessPolicies

/// A request the caller's policies do not allow, worded as AWS words it. Each protocol names the error its own way:
/// `AccessDeniedException` (Lambda, JSON services), `AccessDenied` (query services).
public struct AccessDenied: AWSErrorConvertible, Equatable {
    public var principalArn: String
    public var action: String
    public var resource: String
    public var reason: Reason

    /// Why, in the words that end AWS's message.
    public enum Reason: Sendable, Equatable {
        case noIdentityPolicyAllows
        case explicitDenyInIdentityPolicy
        case explicitDenyInResourcePolicy
        case noSessionPolicyAllows
        case explicitDenyInSessionPolicy
        case noPermissionsBoundaryAllows
        case explicitDenyInPermissionsBoundary
    }

    public init(principalArn: String, action: String, resource: String, reason: Reason) {
        self.principalArn = principalArn
        self.action = action
        self.resource = resource
        self.reason = reason
    }

    func because(_ reason: Reason) -> AccessDenied {
        var copy = self
        copy.reason = reason
        return copy
    }

    public var message: String {
        switch reason {
        case .noIdentityPolicyAllows: text(.implicitDeny)
        case .explicitDenyInIdentityPolicy: text(.explicitDeny(.identityPolicy))
        case .explicitDenyInResourcePolicy: text(.explicitDeny(.resourcePolicy))
        case .noSessionPolicyAllows: head + " because no session policy allows the \(action) action"
        case .explicitDenyInSessionPolicy: head + " with an explicit deny in a session policy"
        case .noPermissionsBoundaryAllows: head + " because no permissions boundary allows the \(action) action"
        case .explicitDenyInPermissionsBoundary: head + " with an explicit deny in a permissions boundary"
        }
    }

    private var head: String {
        "User: \(principalArn) is not authorized to perform: \(action) on resource: \(resource)"
    }

    private func text(_ decision: Decision) -> String {
        DenialMessage.text(principalArn: principalArn, action: action, resource: resource, decision: decision) ?? ""
    }

    /// Lambda's REST-JSON form.
    public var awsError: AWSError {
        AWSError(code: "AccessDeniedException", status: 403, message: message, messageKey: "Message")
    }

    /// The JSON protocol's form for a query-compatible service (SQS): botocore reads the code from
    /// `x-amzn-query-error`.
    public var jsonError: AWSError {
        AWSError(code: "com.amazon.coral.service#AccessDeniedException", status: 403, message: message,
                 headers: ["x-amzn-query-error": "AccessDenied;Sender"])
    }

    /// The query protocol's form (IAM, STS).
    public var queryError: AWSError {
        AWSError(code: "AccessDenied", status: 403, message: message)
    }
}
