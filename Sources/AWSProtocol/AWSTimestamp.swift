import Foundation

/// Timestamps in the formats AWS services put on the wire.
public enum AWSTimestamp {
    /// Lambda's `LastModified` format: `2026-11-24T10:00:00.000+0000`.
    public static func lambdaString(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let t = utc(date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000",
                      t.year, t.month, t.day, t.hour, t.minute, t.second, Int(millis % 1000))
    }

    /// SigV4's basic ISO 8601 form: `20261124T100000Z`.
    public static func amzDateString(_ date: Date) -> String {
        let t = utc(date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second)
    }

    /// The query protocol's timestamps (IAM, STS): `2026-11-24T10:00:00Z`.
    public static func iso8601(_ date: Date) -> String {
        let t = utc(date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second)
    }

    /// The calendar fields of `date` (whole seconds, rounded down) in UTC.
    private static func utc(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var tm = tm()
        var t = time_t(Int64(date.timeIntervalSince1970.rounded(.down)))
        gmtime_r(&t, &tm)
        return (Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday), Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec))
    }

    /// Parses SigV4's basic ISO 8601 form; nil when malformed.
    public static func parseAmzDate(_ string: String) -> Date? {
        let bytes = Array(string.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var tm = tm()
        tm.tm_year = Int32(year - 1900)
        tm.tm_mon = Int32(month - 1)
        tm.tm_mday = Int32(day)
        tm.tm_hour = Int32(hour)
        tm.tm_min = Int32(minute)
        tm.tm_sec = Int32(second)
        let t = timegm(&tm)
        return Date(timeIntervalSince1970: TimeInterval(t))
    }
}
