import Foundation

/// A schedule expression as EventBridge rules (`rate`, `cron`, in UTC) and EventBridge Scheduler (`at`,
/// `rate`, `cron`, in the schedule's time zone) accept it, and when it next fires.
public struct ScheduleExpression: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// `at(yyyy-mm-ddThh:mm:ss)`: once, at this wall time of the schedule's time zone.
        case at(CivilTime)
        case rate(RateInterval)
        case cron(CronExpression)
    }

    public let kind: Kind
    /// The expression as written.
    public let text: String

    public var description: String { text }

    /// A one-time (`at`) expression.
    public var isOneTime: Bool {
        if case .at = kind { return true }
        return false
    }

    public var isRate: Bool {
        if case .rate = kind { return true }
        return false
    }

    public init(parsing text: String) throws(ScheduleExpressionError) {
        self.text = text
        guard text.hasSuffix(")"), let open = text.firstIndex(of: "(") else {
            throw ScheduleExpressionError("A schedule expression is at(...), rate(...) or cron(...); '\(text)' is none of them.")
        }
        let name = text[..<open]
        let body = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        switch name {
        case "at": kind = .at(try Self.parseAt(body))
        case "rate": kind = .rate(try RateInterval(parsing: body))
        case "cron": kind = .cron(try CronExpression(parsing: body))
        default:
            throw ScheduleExpressionError("A schedule expression is at(...), rate(...) or cron(...); '\(text)' is none of them.")
        }
    }

    /// `yyyy-mm-ddThh:mm:ss` with a real calendar date.
    static func parseAt(_ body: String) throws(ScheduleExpressionError) -> CivilTime {
        let invalid = ScheduleExpressionError("A one-time expression is at(yyyy-mm-ddThh:mm:ss); at(\(body)) is not.")
        let chars = Array(body.utf8)
        guard chars.count == 19, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"), chars[10] == UInt8(ascii: "T"),
              chars[13] == UInt8(ascii: ":"), chars[16] == UInt8(ascii: ":") else { throw invalid }
        func number(_ range: Range<Int>) throws(ScheduleExpressionError) -> Int {
            var value = 0
            for index in range {
                let c = chars[index]
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { throw invalid }
                value = value * 10 + Int(c - UInt8(ascii: "0"))
            }
            return value
        }
        let time = CivilTime(year: try number(0..<4), month: try number(5..<7), day: try number(8..<10),
                             hour: try number(11..<13), minute: try number(14..<16), second: try number(17..<19))
        guard (1...12).contains(time.month), time.day >= 1, time.day <= CivilTime.daysIn(month: time.month, year: time.year),
              time.hour < 24, time.minute < 60, time.second < 60 else {
            throw ScheduleExpressionError("at(\(body)) is not a valid date and time.")
        }
        return time
    }

    /// When the expression next fires strictly after `after`, evaluated in `timeZone`; nil when it never
    /// does again.
    ///
    /// - `at`: its time, if later than `after`. A time in a spring-forward gap fires when the gap ends.
    /// - `rate`: `after` plus the period (`after` is the previous firing, or the start).
    /// - `cron`: the next matching wall-clock minute. As EventBridge Scheduler documents for daylight saving,
    ///   a time that does not exist when clocks go forward is skipped, and a time repeated when they go back
    ///   fires once (at its first occurrence).
    public func nextFireTime(after: Date, timeZone: TimeZone) -> Date? {
        switch kind {
        case .at(let time):
            let instant = time.instantOrNextValid(in: timeZone)
            return instant > after ? instant : nil
        case .rate(let rate):
            return after.addingTimeInterval(TimeInterval(rate.seconds))
        case .cron(let cron):
            // Wall time runs backwards by at most a few hours when clocks go back: start early enough that
            // no candidate is missed, and keep the first whose instant is later than `after`.
            var cursor = CivilTime(after.addingTimeInterval(-4 * 3600), in: timeZone)
            cursor.second = 0
            for _ in 0..<100_000 {
                guard let candidate = cron.firstMatch(atOrAfter: cursor) else { return nil }
                if let instant = candidate.instant(in: timeZone), instant > after { return instant }
                cursor = candidate.nextMinute()
            }
            return nil
        }
    }
}
