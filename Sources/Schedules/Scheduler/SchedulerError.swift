import AWSProtocol

/// EventBridge Scheduler's errors as its REST-JSON protocol puts them (`x-amzn-ErrorType`, `Message`).
public enum SchedulerError: Error, Sendable, Equatable {
    case validation(String)
    case notFound(String)
    case conflict(String)
    case quotaExceeded(String)
    case internalFailure(String)
}

extension SchedulerError: AWSErrorConvertible {
    public var awsError: AWSError {
        switch self {
        case .validation(let message): AWSError(code: "ValidationException", status: 400, message: message, messageKey: "Message")
        case .notFound(let message): AWSError(code: "ResourceNotFoundException", status: 404, message: message, messageKey: "Message")
        case .conflict(let message): AWSError(code: "ConflictException", status: 409, message: message, messageKey: "Message")
        case .quotaExceeded(let message):
            AWSError(code: "ServiceQuotaExceededException", status: 402, message: message, messageKey: "Message")
        case .internalFailure(let message):
            AWSError(code: "InternalServerException", status: 500, message: message, messageKey: "Message")
        }
    }
}
