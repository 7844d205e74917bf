import AWSProtocol

/// Lambda's errors, each with the type name, status and message member botocore expects.
public enum LambdaError: AWSErrorConvertible, Equatable {
    case resourceNotFound(String)
    case provisionedConcurrencyConfigNotFound(String)
    case resourceConflict(String)
    case invalidParameter(String)
    case preconditionFailed(String)
    case requestEntityTooLarge(String)
    case requestTooLarge(String)
    case tooManyRequests(reason: String, message: String)
    case invalidRequestContent(String)
    case unsupportedMediaType(String)
    case service(String)

    /// `Function not found: <arn>`.
    public static func functionNotFound(_ arn: String) -> LambdaError {
        .resourceNotFound("Function not found: \(arn)")
    }

    /// AWS's wording for a member that breaks a modeled constraint.
    public static func validation(field: String, value: String, constraint: String) -> LambdaError {
        .invalidParameter("1 validation error detected: Value '\(value)' at '\(field)' failed to satisfy constraint: \(constraint)")
    }

    public var awsError: AWSError {
        switch self {
        case .resourceNotFound(let m):
            AWSError(code: "ResourceNotFoundException", status: 404, message: m, messageKey: "Message")
        case .provisionedConcurrencyConfigNotFound(let m):
            AWSError(code: "ProvisionedConcurrencyConfigNotFoundException", status: 404, message: m)
        case .resourceConflict(let m):
            AWSError(code: "ResourceConflictException", status: 409, message: m)
        case .invalidParameter(let m):
            AWSError(code: "InvalidParameterValueException", status: 400, message: m)
        case .preconditionFailed(let m):
            AWSError(code: "PreconditionFailedException", status: 412, message: m)
        case .requestEntityTooLarge(let m):
            AWSError(code: "RequestEntityTooLargeException", status: 413, message: m)
        case .requestTooLarge(let m):
            AWSError(code: "RequestTooLargeException", status: 413, message: m)
        case .tooManyRequests(let reason, let m):
            AWSError(code: "TooManyRequestsException", status: 429, message: m, fields: ["Reason": reason])
        case .invalidRequestContent(let m):
            AWSError(code: "InvalidRequestContentException", status: 400, message: m)
        case .unsupportedMediaType(let m):
            AWSError(code: "UnsupportedMediaTypeException", status: 415, message: m)
        case .service(let m):
            AWSError(code: "ServiceException", status: 500, message: m, messageKey: "Message")
        }
    }
}
