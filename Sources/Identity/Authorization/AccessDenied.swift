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
        DenialMessage.text(principalArn: principalArn, action: action, resource: resource,
                           decision: explicitDenyIn.map(Decision.explicitDeny) ?? .implicitDeny) ?? ""
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
