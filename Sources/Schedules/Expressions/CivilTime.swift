import Foundation

/// A wall-clock minute or second in no particular time zone (proleptic Gregorian calendar), with the
/// conversions to and from instants in a `TimeZone` that schedule evaluation needs.
public struct CivilTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    public static func < (lhs: CivilTime, rhs: CivilTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second) < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }

    public var description: String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))"
    }

    /// Seconds since 1970-01-01T00:00:00 of this wall time read as if it were UTC.
    var wallSeconds: Int64 {
        Int64(Self.daysFromCivil(year, month, day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    init(wallSeconds: Int64) {
        let days = Int(wallSeconds.floorDiv(86_400))
        let rest = Int(wallSeconds - Int64(days) * 86_400)
        let (y, m, d) = Self.civilFromDays(days)
        self.init(year: y, month: m, day: d, hour: rest / 3600, minute: (rest % 3600) / 60, second: rest % 60)
    }

    /// The wall time of `date` in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        self.init(wallSeconds: seconds + Int64(timeZone.secondsFromGMT(for: date)))
    }

    /// The instant this wall time names in `timeZone`. A time that occurs twice (the hour repeated when
    /// clocks go back) is its first occurrence; a time that does not exist (the hour skipped when clocks go
    /// forward) is nil.
    public func instant(in timeZone: TimeZone) -> Date? {
        let wall = wallSeconds
        let before = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall - 43_200)))
        let after = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall + 43_200)))
        var best: Int64?
        for offset in Set([before, after]) {
            let candidate = wall - Int64(offset)
            if timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(candidate))) == offset {
                best = min(best ?? candidate, candidate)
            }
        }
        return best.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// The instant of this wall time, or, when it falls in a spring-forward gap, the moment the gap ends
    /// (the first valid time after it).
    public func instantOrNextValid(in timeZone: TimeZone) -> Date {
        if let instant = instant(in: timeZone) { return instant }
        let wall = wallSeconds
        let larger = max(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall - 43_200))),
                         timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall + 43_200))))
        let smaller = min(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall - 43_200))),
                          timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall + 43_200))))
        let earliest = Date(timeIntervalSince1970: TimeInterval(wall - Int64(larger)))
        let latest = Date(timeIntervalSince1970: TimeInterval(wall - Int64(smaller)))
        if let transition = timeZone.nextDaylightSavingTimeTransition(after: earliest), transition <= latest {
            return transition
        }
        return latest
    }

    /// The next minute (seconds dropped).
    func nextMinute() -> CivilTime {
        var next = self
        next.second = 0
        next.minute += 1
        if next.minute == 60 {
            next.minute = 0
            next.hour += 1
            if next.hour == 24 {
                next.hour = 0
                next.day += 1
                if next.day > Self.daysIn(month: next.month, year: next.year) {
                    next.day = 1
                    next.month += 1
                    if next.month == 13 {
                        next.month = 1
                        next.year += 1
                    }
                }
            }
        }
        return next
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Day of the week, 1 = Sunday … 7 = Saturday (cron's numbering).
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let days = daysFromCivil(year, month, day)
        return ((days + 4) % 7 + 7) % 7 + 1
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    func floorDiv(_ divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
