import AWSProtocol

/// EventBridge's errors as its JSON 1.1 protocol answers them (`__type` + `message`).
public enum EventsError: Error, Sendable, Equatable, AWSErrorConvertible {
    case validation(String)
    case resourceNotFound(String)
    case resourceAlreadyExists(String)
    case invalidEventPattern(String)
    case limitExceeded(String)
    case managedRule(String)
    case illegalStatus(String)
    case concurrentModification(String)
    case policyLengthExceeded(String)
    case invalidState(String)
    case unknownOperation(String)
    case internalFailure(String)

    public var awsError: AWSError {
        switch self {
        case .validation(let m): AWSError(code: "ValidationException", status: 400, message: m)
        case .resourceNotFound(let m): AWSError(code: "ResourceNotFoundException", status: 400, message: m)
        case .resourceAlreadyExists(let m): AWSError(code: "ResourceAlreadyExistsException", status: 400, message: m)
        case .invalidEventPattern(let m): AWSError(code: "InvalidEventPatternException", status: 400, message: m)
        case .limitExceeded(let m): AWSError(code: "LimitExceededException", status: 400, message: m)
        case .managedRule(let m): AWSError(code: "ManagedRuleException", status: 400, message: m)
        case .illegalStatus(let m): AWSError(code: "IllegalStatusException", status: 400, message: m)
        case .concurrentModification(let m): AWSError(code: "ConcurrentModificationException", status: 400, message: m)
        case .policyLengthExceeded(let m): AWSError(code: "PolicyLengthExceededException", status: 400, message: m)
        case .invalidState(let m): AWSError(code: "InvalidStateException", status: 400, message: m)
        case .unknownOperation(let op): AWSError(code: "UnknownOperationException", status: 400, message: "Unknown operation \(op)")
        case .internalFailure(let m): AWSError(code: "InternalException", status: 500, message: m)
        }
    }

    static func noRule(_ key: RuleKey) -> EventsError {
        .resourceNotFound("Rule \(key.name) does not exist on EventBus \(key.bus).")
    }

    static func noBus(_ name: String) -> EventsError {
        .resourceNotFound("Event bus \(name) does not exist.")
    }
}
