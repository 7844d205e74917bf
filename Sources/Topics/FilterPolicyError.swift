/// Why a filter policy was refused; `reason` is what AWS says after `Invalid parameter: FilterPolicy: `.
public struct FilterPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }

    /// The `InvalidParameter` error SNS answers for a refused policy.
    public var topicError: TopicError {
        reason.hasPrefix("Filter policy scope") ? .invalid("Invalid parameter: \(reason)") : .invalid("Invalid parameter: FilterPolicy: \(reason)")
    }
}
