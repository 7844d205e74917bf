/// The day-of-month field: plain days, `L` (the last day), `LW` (the last weekday) and `nW` (the weekday
/// nearest day n, never crossing into another month).
struct DayOfMonthField: Sendable, Equatable {
    var days: Set<Int> = []
    var lastDay = false
    var lastWeekday = false
    var nearestWeekday: Set<Int> = []

    init(parsing text: String) throws(ScheduleExpressionError) {
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let upper = item.uppercased()
            if upper == "L" {
                lastDay = true
            } else if upper == "LW" {
                lastWeekday = true
            } else if upper.hasSuffix("W") {
                let day = try CronField.value(String(upper.dropLast()), field: text, name: "day-of-month", range: 1...31,
                                              names: [], nameBase: 1)
                nearestWeekday.insert(day)
            } else if upper == "?" {
                throw ScheduleExpressionError("The day-of-month field '\(text)' can be '?' only on its own.")
            } else if upper.contains("L") || upper.contains("#") {
                throw ScheduleExpressionError("The day-of-month field '\(text)' of the cron expression has an invalid value '\(item)'.")
            } else {
                days.formUnion(try CronField.item(item, field: text, name: "day-of-month", range: 1...31, names: [], nameBase: 1))
            }
        }
    }

    func days(year: Int, month: Int, count: Int) -> [Int] {
        var result = days.filter { $0 <= count }
        if lastDay { result.insert(count) }
        if lastWeekday { result.insert(Self.nearestWeekday(to: count, year: year, month: month, count: count)) }
        for day in nearestWeekday where day <= count {
            result.insert(Self.nearestWeekday(to: day, year: year, month: month, count: count))
        }
        return result.sorted()
    }

    /// Monday-to-Friday day nearest `day`: a Saturday moves to the Friday before (or the Monday after when
    /// that would leave the month), a Sunday to the Monday after (or the Friday before, likewise).
    static func nearestWeekday(to day: Int, year: Int, month: Int, count: Int) -> Int {
        switch CivilTime.weekday(year: year, month: month, day: day) {
        case 7: return day == 1 ? 3 : day - 1
        case 1: return day == count ? day - 2 : day + 1
        default: return day
        }
    }
}
