import AWSProtocol

/// CloudWatch Logs' errors as the JSON 1.1 protocol names them (`__type` + `message`).
public enum LogsError: Error, Sendable, Equatable, AWSErrorConvertible {
    case logGroupNotFound
    case logStreamNotFound
    case logGroupAlreadyExists
    case logStreamAlreadyExists
    case resourceNotFound(String)
    case invalidParameter(String)
    case invalidOperation(String)
    case unknownOperation(String)
    case limitExceeded(String)

    public var awsError: AWSError {
        switch self {
        case .logGroupNotFound:
            AWSError(code: "ResourceNotFoundException", status: 400, message: "The specified log group does not exist.")
        case .logStreamNotFound:
            AWSError(code: "ResourceNotFoundException", status: 400, message: "The specified log stream does not exist.")
        case .logGroupAlreadyExists:
            AWSError(code: "ResourceAlreadyExistsException", status: 400, message: "The specified log group already exists")
        case .logStreamAlreadyExists:
            AWSError(code: "ResourceAlreadyExistsException", status: 400, message: "The specified log stream already exists")
        case .resourceNotFound(let message):
            AWSError(code: "ResourceNotFoundException", status: 400, message: message)
        case .invalidParameter(let message):
            AWSError(code: "InvalidParameterException", status: 400, message: message)
        case .invalidOperation(let message):
            AWSError(code: "InvalidOperationException", status: 400, message: message)
        case .limitExceeded(let message):
            AWSError(code: "LimitExceededException", status: 400, message: message)
        case .unknownOperation(let operation):
            AWSError(code: "UnknownOperationException", status: 400, message: "Unknown operation \(operation)")
        }
    }
}
