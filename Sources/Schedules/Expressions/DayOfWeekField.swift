/// The day-of-week field (1-7 = SUN-SAT): plain days, `L` (Saturday, the week's last day), `nL` (the
/// month's last day n) and `n#k` (the month's k-th day n).
struct DayOfWeekField: Sendable, Equatable {
    var weekdays: Set<Int> = []
    var lastOfMonth: Set<Int> = []
    var nth: Set<Nth> = []

    struct Nth: Hashable, Sendable {
        var weekday: Int
        var ordinal: Int
    }

    init(parsing text: String) throws(ScheduleExpressionError) {
        func weekday(_ value: String) throws(ScheduleExpressionError) -> Int {
            try CronField.value(value, field: text, name: "day-of-week", range: 1...7, names: CronExpression.dayNames, nameBase: 1)
        }
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let upper = item.uppercased()
            if upper == "L" {
                weekdays.insert(7)
            } else if upper.count > 1, upper.hasSuffix("L") {
                lastOfMonth.insert(try weekday(String(upper.dropLast())))
            } else if let hash = upper.firstIndex(of: "#") {
                let day = try weekday(String(upper[..<hash]))
                let ordinalText = String(upper[upper.index(after: hash)...])
                guard let ordinal = Int(ordinalText), (1...5).contains(ordinal), ordinalText.allSatisfy(\.isASCII) else {
                    throw ScheduleExpressionError("The day-of-week field '\(text)' of the cron expression has '\(item)': "
                                                  + "the number after '#' must be 1-5.")
                }
                nth.insert(Nth(weekday: day, ordinal: ordinal))
            } else if upper == "?" {
                throw ScheduleExpressionError("The day-of-week field '\(text)' can be '?' only on its own.")
            } else if upper.contains("W") && !CronExpression.dayNames.contains(where: { upper.contains($0) }) {
                throw ScheduleExpressionError("The day-of-week field '\(text)' of the cron expression has an invalid value '\(item)'.")
            } else {
                weekdays.formUnion(try CronField.item(item, field: text, name: "day-of-week", range: 1...7,
                                                      names: CronExpression.dayNames, nameBase: 1))
            }
        }
    }

    func days(year: Int, month: Int, count: Int) -> [Int] {
        let first = CivilTime.weekday(year: year, month: month, day: 1)
        var result: [Int] = []
        for day in 1...count {
            let weekday = (first - 1 + day - 1) % 7 + 1
            if weekdays.contains(weekday)
                || (lastOfMonth.contains(weekday) && day + 7 > count)
                || nth.contains(Nth(weekday: weekday, ordinal: (day - 1) / 7 + 1)) {
                result.append(day)
            }
        }
        return result
    }
}
