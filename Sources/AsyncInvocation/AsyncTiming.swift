/// When asynchronous work happens. Lambda waits about a minute before the second attempt and two before
/// the third; throttled events are retried sooner. `speedup` divides every delay and event age (tests).
public struct AsyncTiming: Sendable {
    public var speedup: Double

    public init(speedup: Double = 1) {
        self.speedup = max(speedup, 0.000_001)
    }

    /// Delay before attempt `attempt + 1`, after `attempt` attempts that failed.
    public func retryDelayMs(afterAttempts attempt: Int) -> Int64 {
        scaled(60_000 * Int64(1 << max(0, min(attempt - 1, 4))))
    }

    /// Delay before trying a throttled event (or one that met a system error) again.
    public var throttleDelayMs: Int64 { scaled(1_000) }

    public func eventAgeMs(seconds: Int) -> Int64 {
        scaled(Int64(seconds) * 1000)
    }

    func scaled(_ ms: Int64) -> Int64 {
        max(1, Int64((Double(ms) / speedup).rounded()))
    }
}
