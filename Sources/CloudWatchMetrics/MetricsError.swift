import AWSProtocol

/// CloudWatch's errors, with the query-protocol codes botocore reports (the RPC v2 CBOR protocol carries them in
/// `x-amzn-query-error`).
public enum MetricsError: Error, Sendable, AWSErrorConvertible {
    case invalidParameterValue(String)
    case missingParameter(String)
    case invalidParameterCombination(String)
    case invalidNextToken(String)
    case resourceNotFound(String)
    case limitExceeded(String)
    case validation(String)
    case invalidFormat(String)

    public var awsError: AWSError {
        switch self {
        case .invalidParameterValue(let m): AWSError(code: "InvalidParameterValue", status: 400, message: m)
        case .missingParameter(let m): AWSError(code: "MissingParameter", status: 400, message: m)
        case .invalidParameterCombination(let m): AWSError(code: "InvalidParameterCombination", status: 400, message: m)
        case .invalidNextToken(let m): AWSError(code: "InvalidNextToken", status: 400, message: m)
        case .resourceNotFound(let m): AWSError(code: "ResourceNotFound", status: 404, message: m)
        case .limitExceeded(let m): AWSError(code: "LimitExceeded", status: 400, message: m)
        case .validation(let m): AWSError(code: "ValidationError", status: 400, message: m)
        case .invalidFormat(let m): AWSError(code: "InvalidFormat", status: 400, message: m)
        }
    }
}
