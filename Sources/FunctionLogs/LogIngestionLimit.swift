import Foundation

/// How much a function may log before lines are dropped (Lambda throttles a log flood the same way): each log group
/// has a bucket of `burstBytes` refilled at `bytesPerSecond`; a line that does not fit is dropped and counted, and
/// the count is reported in the group's stream and the server's log. `maxPendingBytes` bounds what waits for the
/// next write whatever the groups, so a flood cannot exhaust memory.
public struct LogIngestionLimit: Sendable {
    public var bytesPerSecond: Int
    public var burstBytes: Int
    public var maxPendingBytes: Int

    public init(bytesPerSecond: Int = 2 * 1_048_576, burstBytes: Int = 8 * 1_048_576, maxPendingBytes: Int = 64 * 1_048_576) {
        self.bytesPerSecond = bytesPerSecond
        self.burstBytes = burstBytes
        self.maxPendingBytes = maxPendingBytes
    }

    /// Bytes an event counts for: its message and the 26 bytes CloudWatch adds.
    @inline(__always)
    static func cost(_ event: LogEvent) -> Int { event.message.utf8.count + 26 }
}

/// Lines dropped for one group since the last report.
struct DroppedLines {
    var events = 0
    var bytes = 0
    var stream: String
}

/// One group's bucket.
struct IngestionBucket {
    var tokens: Double
    var refilled: ContinuousClock.Instant

    mutating func take(_ bytes: Int, now: ContinuousClock.Instant, limit: LogIngestionLimit) -> Bool {
        let elapsed = now - refilled
        if elapsed > .zero {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens = min(Double(limit.burstBytes), tokens + seconds * Double(limit.bytesPerSecond))
            refilled = now
        }
        guard tokens >= Double(bytes) else { return false }
        tokens -= Double(bytes)
        return true
    }
}
