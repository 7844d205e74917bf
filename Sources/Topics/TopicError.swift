import AWSProtocol

/// An SNS error as the query protocol puts it on the wire (`<Code>` and status from botocore's `sns` model).
public struct TopicError: Error, Sendable, Equatable, AWSErrorConvertible {
    public var code: String
    public var status: Int
    public var message: String

    public init(code: String, status: Int, message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    public var awsError: AWSError { AWSError(code: code, status: status, message: message) }

    /// `InvalidParameter` with AWS's message style: `Invalid parameter: <Name>` and, when given, ` Reason: …`.
    public static func invalidParameter(_ name: String, reason: String? = nil) -> TopicError {
        .init(code: "InvalidParameter", status: 400, message: "Invalid parameter: \(name)" + (reason.map { " Reason: \($0)" } ?? ""))
    }

    /// `InvalidParameter` with a message as is.
    public static func invalid(_ message: String) -> TopicError {
        .init(code: "InvalidParameter", status: 400, message: message)
    }

    public static func notFound(_ message: String) -> TopicError {
        .init(code: "NotFound", status: 404, message: message)
    }

    public static let topicNotFound = TopicError.notFound("Topic does not exist")
    public static let subscriptionNotFound = TopicError.notFound("Subscription does not exist")

    public static func resourceNotFound(_ message: String) -> TopicError {
        .init(code: "ResourceNotFound", status: 404, message: message)
    }

    public static func authorization(_ message: String) -> TopicError {
        .init(code: "AuthorizationError", status: 403, message: message)
    }

    public static func validation(_ message: String) -> TopicError {
        .init(code: "ValidationException", status: 400, message: message)
    }

    public static func invalidParameterValue(_ message: String) -> TopicError {
        .init(code: "ParameterValueInvalid", status: 400, message: message)
    }
}
