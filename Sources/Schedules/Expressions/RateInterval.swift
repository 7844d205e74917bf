/// The period of a `rate(value unit)` expression.
public struct RateInterval: Sendable, Equatable {
    public enum Unit: String, Sendable, Equatable {
        case minute, hour, day

        var seconds: Int64 {
            switch self {
            case .minute: return 60
            case .hour: return 3600
            case .day: return 86_400
            }
        }
    }

    public var value: Int
    public var unit: Unit

    /// The period in seconds (a day is 24 hours, also across a daylight-saving change, as AWS documents).
    public var seconds: Int64 { Int64(value) * unit.seconds }

    /// Parses the text between `rate(` and `)`: a positive whole number and `minute`/`hour`/`day`, singular
    /// for 1 and plural otherwise.
    public init(parsing text: String) throws(ScheduleExpressionError) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 2 else {
            throw ScheduleExpressionError("A rate expression is rate(value unit); rate(\(text)) is not.")
        }
        guard parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(parts[0]), value > 0 else {
            throw ScheduleExpressionError("The value of rate(\(text)) must be a positive whole number.")
        }
        let unitText = parts[1].lowercased()
        let singular = unitText.hasSuffix("s") ? String(unitText.dropLast()) : unitText
        guard let unit = Unit(rawValue: singular) else {
            throw ScheduleExpressionError("The unit of rate(\(text)) must be minute(s), hour(s) or day(s).")
        }
        if value == 1, unitText != singular {
            throw ScheduleExpressionError("rate(\(text)): with the value 1 the unit must be singular (\(singular)).")
        }
        if value > 1, unitText == singular {
            throw ScheduleExpressionError("rate(\(text)): with a value above 1 the unit must be plural (\(singular)s).")
        }
        self.value = value
        self.unit = unit
    }
}
