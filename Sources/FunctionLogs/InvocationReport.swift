import Foundation

/// The platform's own lines around each invocation, in Lambda's format.
public enum PlatformLines {
    public static func start(requestId: String, version: String) -> String {
        "START RequestId: \(requestId) Version: \(version)"
    }

    public static func end(requestId: String) -> String {
        "END RequestId: \(requestId)"
    }

    /// `REPORT RequestId: …\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t[Init Duration: 150.12 ms\t]`
    public static func report(requestId: String, durationMs: Double, memorySizeMB: Int, maxMemoryUsedMB: Int,
                              initDurationMs: Double?) -> String {
        var line = "REPORT RequestId: \(requestId)\tDuration: \(String(format: "%.2f", durationMs)) ms"
        line += "\tBilled Duration: \(billedMilliseconds(durationMs)) ms"
        line += "\tMemory Size: \(memorySizeMB) MB\tMax Memory Used: \(maxMemoryUsedMB) MB\t"
        if let initDurationMs {
            line += "Init Duration: \(String(format: "%.2f", initDurationMs)) ms\t"
        }
        return line
    }

    /// Billed duration: rounded up to the next millisecond, at least 1 ms.
    public static func billedMilliseconds(_ durationMs: Double) -> Int {
        max(1, Int(durationMs.rounded(.up)))
    }

    /// `2026-11-24T07:07:10.123Z <id> Task timed out after 3.00 seconds`
    public static func timedOut(requestId: String, timeoutSeconds: Int, at date: Date = Date()) -> String {
        "\(timestamp(date)) \(requestId) Task timed out after \(String(format: "%.2f", Double(timeoutSeconds))) seconds"
    }

    /// ISO-8601 with milliseconds, UTC.
    public static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var t = time_t(ms / 1000)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, Int(ms % 1000))
    }
}
