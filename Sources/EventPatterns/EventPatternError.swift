/// Why a pattern was refused; `reason` names the part at fault.
public struct EventPatternError: Error, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
