import AWSProtocol
import AccessPolicies

/// A request the caller's policies do not allow, worded as AWS words it. Each protocol names the error its own way:
/// `AccessDeniedException` (Lambda, JSON services), `AccessDenied` (query services).
public struct AccessDenied: AWSErrorConvertible, Equatable {
    public var principalArn: String
    public var action: String
    public var resource: String
    public var explicitDenyIn: DenySource?

    public init(principalArn: String, action: String, resource: String, explicitDenyIn: DenySource?) {
        self.principalArn = principalArn
        self.action = action
        self.resource = resource
        self.explicitDenyIn = explicitDenyIn
    }

    public var message: String {
        let head = "User: \(principalArn) is not authorized to perform: \(action) on resource: \(resource)"
        switch explicitDenyIn {
        case .identityPolicy: return head + " with an explicit deny in an identity-based policy"
        case .resourcePolicy: return head + " with an explicit deny in a resource-based policy"
        case nil: return head + " because no identity-based policy allows the \(action) action"
        }
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
