import AWSProtocol

/// API Gateway's errors as botocore knows them (`apigatewayv2` REST-JSON: `x-amzn-ErrorType`, body `message`).
public enum HTTPAPIError: Error, Sendable, Equatable {
    /// 404 `NotFoundException`, with the `resourceType` member (`Api`, `Route`, …).
    case notFound(resourceType: String, message: String)
    /// 400 `BadRequestException`.
    case badRequest(String)
    /// 409 `ConflictException`.
    case conflict(String)
    /// 429 `TooManyRequestsException`.
    case tooManyRequests(String)
}

extension HTTPAPIError: AWSErrorConvertible {
    public var awsError: AWSError {
        switch self {
        case .notFound(let type, let message):
            AWSError(code: "NotFoundException", status: 404, message: message, fields: ["resourceType": type])
        case .badRequest(let message):
            AWSError(code: "BadRequestException", status: 400, message: message)
        case .conflict(let message):
            AWSError(code: "ConflictException", status: 409, message: message)
        case .tooManyRequests(let message):
            AWSError(code: "TooManyRequestsException", status: 429, message: message)
        }
    }
}

extension HTTPAPIError {
    /// A missing sub-resource, worded as API Gateway words it.
    static func missing(_ type: String, _ id: String) -> HTTPAPIError {
        .notFound(resourceType: type, message: "Invalid \(type) identifier specified \(id)")
    }
}
