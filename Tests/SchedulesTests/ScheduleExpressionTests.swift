import Foundation
import Testing
@testable import Schedules

/// Parsing and evaluation of at/rate/cron expressions: AWS's documented examples, `L`/`W`/`#`, leap
/// years, time zones and daylight-saving transitions.
struct ScheduleExpressionTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    static func iso(_ date: Date?) -> String? {
        guard let date else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func next(_ expression: String, after: String, in zone: TimeZone = utc) throws -> String? {
        iso(try ScheduleExpression(parsing: expression).nextFireTime(after: date(after), timeZone: zone))
    }

    @Test(arguments: [
        "cron(0 10 * * ? *)", "cron(15 12 * * ? *)", "cron(0 18 ? * MON-FRI *)", "cron(0 8 1 * ? *)",
        "cron(0/15 * * * ? *)", "cron(0/10 * ? * MON-FRI *)", "cron(0/5 8-17 ? * MON-FRI *)", "cron(0 9 ? * 2#1 *)",
        "cron(0 0 L * ? *)", "cron(0 0 LW * ? *)", "cron(0 0 15W * ? *)", "cron(0 0 ? * 6L *)", "cron(0 0 ? * L 2030)",
        "cron(5,35 14 * JAN-MAR,DEC ? 2026-2030)", "cron(0 12 ? * sun,sat *)", "cron(*/7 */3 1-15/2 */2 ? *)",
        "rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)", "rate(7 days)",
        "at(2026-12-01T09:00:00)", "at(2028-02-29T23:59:59)",
    ])
    func acceptsValidExpressions(_ text: String) throws {
        let expression = try ScheduleExpression(parsing: text)
        #expect(expression.text == text)
    }

    @Test(arguments: [
        ("rate(1 minutes)", "singular"), ("rate(5 minute)", "plural"), ("rate(0 minutes)", "positive"),
        ("rate(-1 minutes)", "positive"), ("rate(5 weeks)", "minute(s), hour(s) or day(s)"), ("rate(5)", "rate(value unit)"),
        ("cron(0 10 * * ?)", "six fields"), ("cron(0 10 ? * ? *)", "Only one"), ("cron(0 10 * * * *)", "must be '?'"),
        ("cron(60 10 * * ? *)", "minutes field"), ("cron(0 24 * * ? *)", "hours field"), ("cron(0 0 32 * ? *)", "day-of-month"),
        ("cron(0 0 ? 13 * *)", "month field"), ("cron(0 0 ? * 8 *)", "day-of-week"), ("cron(0 0 * * ? 2200)", "year field"),
        ("cron(0 0 ? * 2#6 *)", "1-5"), ("cron(0 0 ? * FOO *)", "day-of-week"), ("cron(0/0 0 * * ? *)", "step"),
        ("cron(0 0 5L * ? *)", "day-of-month"), ("cron(0 10 * * ? *", "none of them"), ("every day", "none of them"),
        ("at(2026-02-30T00:00:00)", "not a valid date"), ("at(2026-12-01 09:00:00)", "yyyy-mm-dd"),
        ("at(2026-12-01T24:00:00)", "not a valid date"), ("weekly(1)", "none of them"),
    ])
    func refusesInvalidExpressionsSayingWhy(_ text: String, _ fragment: String) {
        #expect {
            _ = try ScheduleExpression(parsing: text)
        } throws: { error in
            (error as? ScheduleExpressionError)?.message.contains(fragment) == true
        }
    }

    @Test func cronInUTC() throws {
        #expect(try Self.next("cron(0 10 * * ? *)", after: "2026-01-01T10:00:00Z") == "2026-01-02T10:00:00Z")
        #expect(try Self.next("cron(0 10 * * ? *)", after: "2026-01-01T09:59:59Z") == "2026-01-01T10:00:00Z")
        #expect(try Self.next("cron(0/15 * * * ? *)", after: "2026-01-01T10:07:00Z") == "2026-01-01T10:15:00Z")
        #expect(try Self.next("cron(0 18 ? * MON-FRI *)", after: "2026-01-02T18:00:00Z") == "2026-01-05T18:00:00Z")
        #expect(try Self.next("cron(0 8 1 * ? *)", after: "2026-12-15T00:00:00Z") == "2027-01-01T08:00:00Z")
        #expect(try Self.next("cron(0 12 ? * SUN,SAT *)", after: "2026-01-01T00:00:00Z") == "2026-01-03T12:00:00Z")
        // A range that wraps around the week.
        #expect(try Self.next("cron(0 12 ? * FRI-MON *)", after: "2026-01-06T00:00:00Z") == "2026-01-09T12:00:00Z")
    }

    @Test func lastDayOfMonthAndLeapYears() throws {
        #expect(try Self.next("cron(0 0 L * ? *)", after: "2024-02-01T00:00:00Z") == "2024-02-29T00:00:00Z")
        #expect(try Self.next("cron(0 0 L * ? *)", after: "2025-02-01T00:00:00Z") == "2025-02-28T00:00:00Z")
        #expect(try Self.next("cron(0 0 L * ? *)", after: "2026-04-30T00:00:00Z") == "2026-05-31T00:00:00Z")
        #expect(try Self.next("cron(0 0 29 2 ? *)", after: "2025-01-01T00:00:00Z") == "2028-02-29T00:00:00Z")
        #expect(try Self.next("cron(0 0 1 1 ? 2030)", after: "2030-01-01T00:00:00Z") == nil)
        #expect(try Self.next("cron(0 0 31 * ? *)", after: "2026-04-01T00:00:00Z") == "2026-05-31T00:00:00Z")
    }

    @Test func nearestWeekday() throws {
        // 2026-08-15 is a Saturday: the Friday before.
        #expect(try Self.next("cron(0 0 15W * ? *)", after: "2026-08-01T00:00:00Z") == "2026-08-14T00:00:00Z")
        // 2026-03-15 is a Sunday: the Monday after.
        #expect(try Self.next("cron(0 0 15W * ? *)", after: "2026-03-01T00:00:00Z") == "2026-03-16T00:00:00Z")
        // 2026-08-01 is a Saturday: not July 31 but Monday the 3rd.
        #expect(try Self.next("cron(0 0 1W * ? *)", after: "2026-07-31T12:00:00Z") == "2026-08-03T00:00:00Z")
        // 2026-05-31 is a Sunday: the last weekday is Friday the 29th.
        #expect(try Self.next("cron(0 0 LW * ? *)", after: "2026-05-01T00:00:00Z") == "2026-05-29T00:00:00Z")
        // A weekday stays itself.
        #expect(try Self.next("cron(0 0 14W * ? *)", after: "2026-05-01T00:00:00Z") == "2026-05-14T00:00:00Z")
    }

    @Test func nthAndLastWeekdayOfMonth() throws {
        #expect(try Self.next("cron(0 9 ? * 2#1 *)", after: "2026-03-01T00:00:00Z") == "2026-03-02T09:00:00Z")
        #expect(try Self.next("cron(0 9 ? * MON#1 *)", after: "2026-03-02T09:00:00Z") == "2026-04-06T09:00:00Z")
        // November 2026 has five Sundays; the next month with five Mondays after it is March 2027.
        #expect(try Self.next("cron(0 0 ? * 1#5 *)", after: "2026-11-01T00:00:00Z") == "2026-11-29T00:00:00Z")
        #expect(try Self.next("cron(0 0 ? * 2#5 *)", after: "2026-12-01T00:00:00Z") == "2027-03-29T00:00:00Z")
        #expect(try Self.next("cron(0 0 ? * 6L *)", after: "2026-05-01T00:00:00Z") == "2026-05-29T00:00:00Z")
        #expect(try Self.next("cron(0 0 ? * FRIL *)", after: "2026-05-29T00:00:00Z") == "2026-06-26T00:00:00Z")
        // `L` alone is the week's last day, Saturday.
        #expect(try Self.next("cron(0 0 ? * L *)", after: "2026-01-01T00:00:00Z") == "2026-01-03T00:00:00Z")
    }

    @Test func timeZones() throws {
        #expect(try Self.next("cron(0 9 * * ? *)", after: "2026-01-01T00:00:00Z", in: TimeZone(identifier: "Asia/Tokyo")!)
                == "2026-01-02T00:00:00Z")
        #expect(try Self.next("cron(0 9 * * ? *)", after: "2026-01-01T00:00:00Z", in: Self.berlin) == "2026-01-01T08:00:00Z")
        #expect(try Self.next("cron(0 9 * * ? *)", after: "2026-07-01T00:00:00Z", in: Self.berlin) == "2026-07-01T07:00:00Z")
        #expect(try Self.next("at(2026-12-01T09:00:00)", after: "2026-01-01T00:00:00Z", in: Self.berlin) == "2026-12-01T08:00:00Z")
        #expect(try Self.next("at(2026-12-01T09:00:00)", after: "2026-12-01T08:00:00Z", in: Self.berlin) == nil)
    }

    @Test func springForwardSkipsTheMissingTime() throws {
        // Berlin: 2026-03-29 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day and is skipped.
        #expect(try Self.next("cron(30 2 * * ? *)", after: "2026-03-28T12:00:00Z", in: Self.berlin) == "2026-03-30T00:30:00Z")
        #expect(try Self.next("cron(30 2 * * ? *)", after: "2026-03-27T12:00:00Z", in: Self.berlin) == "2026-03-28T01:30:00Z")
        #expect(try Self.next("cron(0 3 * * ? *)", after: "2026-03-28T12:00:00Z", in: Self.berlin) == "2026-03-29T01:00:00Z")
        // New York: 2026-03-08 02:00 EST becomes 03:00 EDT.
        #expect(try Self.next("cron(0/30 2 * * ? *)", after: "2026-03-08T00:00:00Z", in: Self.newYork) == "2026-03-09T06:00:00Z")
        // A one-time schedule in the gap fires when the gap ends (03:00 EDT).
        #expect(try Self.next("at(2026-03-08T02:30:00)", after: "2026-03-01T00:00:00Z", in: Self.newYork) == "2026-03-08T07:00:00Z")
    }

    @Test func fallBackFiresTheRepeatedTimeOnce() throws {
        // Berlin: 2026-10-25 03:00 CEST becomes 02:00 CET; 02:30 happens twice and fires at the first.
        let first = try Self.next("cron(30 2 * * ? *)", after: "2026-10-24T12:00:00Z", in: Self.berlin)
        #expect(first == "2026-10-25T00:30:00Z")
        #expect(try Self.next("cron(30 2 * * ? *)", after: first!, in: Self.berlin) == "2026-10-26T01:30:00Z")
        // New York: 2026-11-01 02:00 EDT becomes 01:00 EST; every half hour of 01:xx fires once.
        var fired: [String] = []
        var cursor = "2026-11-01T04:00:00Z"
        for _ in 0..<4 {
            cursor = try Self.next("cron(0/30 1 * * ? *)", after: cursor, in: Self.newYork)!
            fired.append(cursor)
        }
        #expect(fired == ["2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:00:00Z", "2026-11-02T06:30:00Z"])
    }

    @Test func ratesAddTheirPeriodAcrossDaylightSaving() throws {
        #expect(try Self.next("rate(5 minutes)", after: "2026-01-01T00:00:00Z") == "2026-01-01T00:05:00Z")
        #expect(try Self.next("rate(1 day)", after: "2026-03-28T12:00:00Z", in: Self.berlin) == "2026-03-29T12:00:00Z")
        #expect(try Self.next("rate(2 hours)", after: "2026-01-01T23:00:00Z") == "2026-01-02T01:00:00Z")
    }
}
