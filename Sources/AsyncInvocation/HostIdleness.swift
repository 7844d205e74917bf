import Foundation
import Synchronization

/// How much of the host's CPU went unused lately, from `/proc/stat`, sampled at most every 200 ms. The
/// async dispatcher adds environments to a backlogged function only while there is idle CPU for them:
/// an I/O-bound function scales out, a CPU-bound one does not thrash the machine with cold starts.
final class HostIdleness: Sendable {
    private struct Sample {
        var idle: UInt64
        var total: UInt64
        var at: ContinuousClock.Instant
        var fraction: Double
    }
    private let last = Mutex<Sample?>(nil)
    static let interval: Duration = .milliseconds(200)

    /// Idle share of all CPUs since the previous sample (1 when it cannot be read).
    var idleFraction: Double {
        let now = ContinuousClock.now
        if let cached = last.withLock({ $0 }), now - cached.at < Self.interval { return cached.fraction }
        guard let (idle, total) = Self.read() else { return 1 }
        return last.withLock { previous in
            var fraction = previous?.fraction ?? 1
            if let p = previous, total > p.total {
                fraction = Double(idle &- p.idle) / Double(total &- p.total)
            }
            previous = Sample(idle: idle, total: total, at: now, fraction: fraction)
            return fraction
        }
    }

    /// Idle (idle + iowait) and total jiffies of the `cpu` line.
    static func read() -> (UInt64, UInt64)? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 5 else { return nil }
        return (fields[3] + fields[4], fields.reduce(0, +))
    }
}
