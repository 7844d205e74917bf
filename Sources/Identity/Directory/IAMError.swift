import AWSProtocol

/// An IAM error as the query protocol carries it: the modeled error code botocore maps to an exception
/// (`NoSuchEntity` → `NoSuchEntityException`), its HTTP status, and AWS's wording of the message.
public struct IAMError: AWSErrorConvertible, Equatable, Sendable, CustomStringConvertible {
    public var code: String
    public var status: Int
    public var message: String

    public init(code: String, status: Int, message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    public var awsError: AWSError {
        AWSError(code: code, status: status, message: message, messageKey: "Message")
    }

    public var description: String { "\(code): \(message)" }

    public static func noSuchEntity(_ message: String) -> IAMError {
        IAMError(code: "NoSuchEntity", status: 404, message: message)
    }

    public static func entityAlreadyExists(_ message: String) -> IAMError {
        IAMError(code: "EntityAlreadyExists", status: 409, message: message)
    }

    public static func deleteConflict(_ message: String) -> IAMError {
        IAMError(code: "DeleteConflict", status: 409, message: message)
    }

    public static func limitExceeded(_ message: String) -> IAMError {
        IAMError(code: "LimitExceeded", status: 409, message: message)
    }

    public static func malformedPolicyDocument(_ message: String) -> IAMError {
        IAMError(code: "MalformedPolicyDocument", status: 400, message: message)
    }

    public static func invalidInput(_ message: String) -> IAMError {
        IAMError(code: "InvalidInput", status: 400, message: message)
    }

    public static func validation(_ message: String) -> IAMError {
        IAMError(code: "ValidationError", status: 400, message: message)
    }

    public static func invalidAction(_ action: String, version: String) -> IAMError {
        IAMError(code: "InvalidAction", status: 400, message: "Could not find operation \(action) for version \(version)")
    }

    public static func serviceFailure() -> IAMError {
        IAMError(code: "ServiceFailure", status: 500,
                 message: "The request processing has failed because of an unknown error, exception or failure.")
    }
}

// MARK: AWS's messages

extension IAMError {
    /// "The user with name ci cannot be found." (and the same for groups and roles).
    static func noSuch(_ kind: EntityKind, _ name: String) -> IAMError {
        .noSuchEntity("The \(kind.rawValue) with name \(name) cannot be found.")
    }

    /// "User with name ci already exists."
    static func exists(_ kind: EntityKind, _ name: String) -> IAMError {
        .entityAlreadyExists("\(kind.title) with name \(name) already exists.")
    }

    /// "The role policy with name p cannot be found."
    static func noSuchInlinePolicy(_ owner: PolicyOwner, _ name: String) -> IAMError {
        .noSuchEntity("The \(owner.kind) policy with name \(name) cannot be found.")
    }

    static func noSuchAccessKey(_ id: String) -> IAMError {
        .noSuchEntity("The Access Key with id \(id) cannot be found.")
    }

    /// GetPolicy and friends on an ARN no policy has.
    static func policyNotFound(_ arn: String) -> IAMError {
        .noSuchEntity("Policy \(arn) was not found.")
    }

    /// Attaching an ARN no policy has.
    static func policyNotAttachable(_ arn: String) -> IAMError {
        .noSuchEntity("Policy \(arn) does not exist or is not attachable.")
    }

    static func noSuchPolicyVersion(_ arn: String, _ versionId: String) -> IAMError {
        .noSuchEntity("Policy \(arn) version \(versionId) does not exist or is not attachable.")
    }

    static func invalidArn(_ arn: String) -> IAMError {
        .invalidInput("ARN \(arn) is not valid.")
    }

    /// A permissions boundary naming no policy.
    static func noSuchBoundary(_ arn: String) -> IAMError {
        .noSuchEntity("Scope ARN: \(arn) does not exist or is not attachable.")
    }

    static func quota(_ name: String, _ limit: Int) -> IAMError {
        .limitExceeded("Cannot exceed quota for \(name): \(limit)")
    }

    /// AWS managed policies are AWS's: their versions, tags and existence are not the account's to change.
    static func awsManaged(_ arn: String) -> IAMError {
        .invalidInput("Policy \(arn) is an AWS managed policy and cannot be modified.")
    }
}

/// The named entities of IAM, as AWS's messages name them.
enum EntityKind: String {
    case user, group, role

    var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}
