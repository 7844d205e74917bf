/// Why a schedule expression was refused; `message` says which part is wrong, for the caller's
/// `ValidationException` (Scheduler) or `ValidationException` on `ScheduleExpression` (EventBridge).
public struct ScheduleExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
