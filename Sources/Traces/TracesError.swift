import AWSProtocol

/// X-Ray's errors as clients see them.
public enum TracesError: Error, Sendable, Equatable {
    /// 400 `InvalidRequestException`, naming the member at fault.
    case invalidRequest(String)
}

extension TracesError: AWSErrorConvertible {
    public var awsError: AWSError {
        switch self {
        case .invalidRequest(let message):
            AWSError(code: "InvalidRequestException", status: 400, message: message, messageKey: "Message")
        }
    }
}
