/// EventBridge's six-field cron: `minutes hours day-of-month month day-of-week year`, with `*` `,` `-` `/`
/// in every field, `?` in exactly one of day-of-month and day-of-week, `L` and `W` in day-of-month
/// (`L`, `LW`, `15W`), `L` and `#` in day-of-week (`L` = Saturday, `6L` = the month's last Friday,
/// `3#2` = its second Tuesday), names `JAN`-`DEC` and `SUN`-`SAT` (1-7 = SUN-SAT), years 1970-2199.
public struct CronExpression: Sendable, Equatable {
    let minutes: [Int]
    let hours: [Int]
    let daysOfMonth: DayOfMonthField?
    let months: [Int]
    let daysOfWeek: DayOfWeekField?
    let years: [Int]

    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    /// Parses the text between `cron(` and `)`.
    public init(parsing text: String) throws(ScheduleExpressionError) {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 6 else {
            throw ScheduleExpressionError("A cron expression has six fields (minutes hours day-of-month month day-of-week year); "
                                          + "cron(\(text)) has \(fields.count).")
        }
        minutes = try CronField.numbers(fields[0], name: "minutes", range: 0...59)
        hours = try CronField.numbers(fields[1], name: "hours", range: 0...23)
        months = try CronField.numbers(fields[3], name: "month", range: 1...12, names: Self.monthNames)
        years = try CronField.numbers(fields[5], name: "year", range: 1970...2199)
        let domUnspecified = fields[2] == "?"
        let dowUnspecified = fields[4] == "?"
        guard domUnspecified != dowUnspecified else {
            throw ScheduleExpressionError(domUnspecified
                ? "Only one of the day-of-month and day-of-week fields of a cron expression can be '?'."
                : "One of the day-of-month and day-of-week fields of a cron expression must be '?'.")
        }
        daysOfMonth = domUnspecified ? nil : try DayOfMonthField(parsing: fields[2])
        daysOfWeek = dowUnspecified ? nil : try DayOfWeekField(parsing: fields[4])
    }

    /// The days of `month` in `year` this expression fires on, ascending.
    func days(year: Int, month: Int) -> [Int] {
        let count = CivilTime.daysIn(month: month, year: year)
        if let daysOfMonth { return daysOfMonth.days(year: year, month: month, count: count) }
        if let daysOfWeek { return daysOfWeek.days(year: year, month: month, count: count) }
        return []
    }

    /// The first wall-clock minute at or after `start` (seconds ignored, so a start with seconds begins at
    /// the following minute) that matches every field.
    func firstMatch(atOrAfter start: CivilTime) -> CivilTime? {
        var start = start
        if start.second != 0 { start = start.nextMinute() }
        for year in years where year >= start.year {
            for month in months where year > start.year || month >= start.month {
                let sameMonth = year == start.year && month == start.month
                for day in days(year: year, month: month) where !sameMonth || day >= start.day {
                    let sameDay = sameMonth && day == start.day
                    for hour in hours where !sameDay || hour >= start.hour {
                        let sameHour = sameDay && hour == start.hour
                        if let minute = minutes.first(where: { !sameHour || $0 >= start.minute }) {
                            return CivilTime(year: year, month: month, day: day, hour: hour, minute: minute)
                        }
                    }
                }
            }
        }
        return nil
    }
}
