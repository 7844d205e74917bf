import Foundation

/// One line of a function's log, as CloudWatch Logs keeps it.
public struct LogEvent: Sendable, Equatable, Codable {
    public var group: String
    public var stream: String
    /// Epoch milliseconds the line was produced.
    public var timestamp: Int64
    public var message: String

    public init(group: String, stream: String, timestamp: Int64, message: String) {
        self.group = group
        self.stream = stream
        self.timestamp = timestamp
        self.message = message
    }
}

/// Names Lambda gives to log groups and streams.
public enum LogNames {
    /// `/aws/lambda/<function>` unless the function configures its own group.
    public static func group(function: String, configured: String? = nil) -> String {
        configured ?? "/aws/lambda/\(function)"
    }

    /// `YYYY/MM/DD/[<version>]<32 hex>` for one execution environment.
    public static func stream(version: String, environmentId: String, date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d/%02d/%02d/[%@]%@", c.year!, c.month!, c.day!, version, environmentId)
    }

    /// Epoch milliseconds now.
    public static func nowMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}

/// Where log events are kept (the server's store).
public protocol LogEventStore: Sendable {
    /// Appends events in order, creating their groups (with `newGroupRetentionDays`, nil: never expire) and streams
    /// as needed. One transaction.
    func appendLogEvents(_ events: [LogEvent], newGroupRetentionDays: Int?) async throws
}
