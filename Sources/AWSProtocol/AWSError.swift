/// An error as an AWS client sees it: the error type name botocore maps to an exception class,
/// the HTTP status, the message, and any extra modeled members (such as `Reason`).
public struct AWSError: Error, Sendable, Equatable {
    /// The error type, e.g. `ResourceNotFoundException`.
    public var code: String
    /// The HTTP status code.
    public var status: Int
    /// The human-readable message.
    public var message: String
    /// The member name the service model uses for the message (`message` or `Message`).
    public var messageKey: String
    /// `Type` member of REST-JSON errors: `User` for caller faults, `Service` for ours.
    public var faultType: String
    /// Extra modeled members, such as `Reason` of `TooManyRequestsException`.
    public var fields: [String: String]
    /// Extra response headers, such as `Retry-After`.
    public var headers: [String: String]

    public init(
        code: String,
        status: Int,
        message: String,
        messageKey: String = "message",
        faultType: String? = nil,
        fields: [String: String] = [:],
        headers: [String: String] = [:]
    ) {
        self.code = code
        self.status = status
        self.message = message
        self.messageKey = messageKey
        self.faultType = faultType ?? (status >= 500 ? "Service" : "User")
        self.fields = fields
        self.headers = headers
    }
}

/// A service's own error type, convertible to what goes on the wire.
public protocol AWSErrorConvertible: Error {
    var awsError: AWSError { get }
}

extension AWSError: AWSErrorConvertible {
    public var awsError: AWSError { self }
}

extension AWSError {
    /// An internal failure, surfaced without details.
    public static func serviceException(_ message: String = "An internal error occurred.") -> AWSError {
        AWSError(code: "ServiceException", status: 500, message: message, messageKey: "Message")
    }

    /// A request for an operation or path that no hosted service knows.
    public static func unknownOperation(_ what: String) -> AWSError {
        AWSError(code: "UnknownOperationException", status: 404, message: "Unknown operation \(what)")
    }
}
