import Foundation

/// ISO 8601 in UTC with whole seconds (`2026-12-01T08:00:00Z`), as Scheduler's context attributes write it.
enum AWSTimestampText {
    static func iso8601(_ date: Date) -> String {
        let time = CivilTime(date, in: TimeZone(identifier: "UTC")!)
        return time.description + "Z"
    }
}
