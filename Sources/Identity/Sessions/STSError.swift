import AWSProtocol

/// STS's errors (query protocol).
public enum STSError: AWSErrorConvertible, Equatable {
    case accessDenied(String)
    case validation(String)
    case malformedPolicy(String)

    public var awsError: AWSError {
        switch self {
        case .accessDenied(let m): AWSError(code: "AccessDenied", status: 403, message: m)
        case .validation(let m): AWSError(code: "ValidationError", status: 400, message: m)
        case .malformedPolicy(let m): AWSError(code: "MalformedPolicyDocument", status: 400, message: m)
        }
    }
}
