/// How long and how often a failed delivery is tried again. EventBridge's default is 185 retries within
/// 24 hours with exponential back-off and jitter; SNS's HTTP default is three retries 20 s apart.
public struct DeliveryRetryPolicy: Sendable, Codable, Equatable {
    public enum Backoff: Sendable, Codable, Equatable {
        /// `initialMs × 2^(n-1)`, at most `maxMs`, with up to ±`jitter` fraction of random spread.
        case exponential(initialMs: Int64, maxMs: Int64, jitter: Double)
        /// The same delay between every attempt.
        case fixed(ms: Int64)
    }

    /// Retries after the first attempt (0 means one attempt only).
    public var maximumRetries: Int
    /// Dropped (or dead-lettered) once older than this, counted from `Delivery.acceptedAt`.
    public var maximumAgeSeconds: Int?
    public var backoff: Backoff

    public init(maximumRetries: Int, maximumAgeSeconds: Int?, backoff: Backoff) {
        self.maximumRetries = maximumRetries
        self.maximumAgeSeconds = maximumAgeSeconds
        self.backoff = backoff
    }

    /// EventBridge's default target policy: 185 retries, 24 hours.
    public static let eventBridgeDefault = DeliveryRetryPolicy(
        maximumRetries: 185, maximumAgeSeconds: 86_400, backoff: .exponential(initialMs: 1_000, maxMs: 300_000, jitter: 0.2))

    /// The delay before the next attempt after `attempts` attempts failed (ms, before any speed-up).
    public func delayMs(afterAttempts attempts: Int, random: Double) -> Int64 {
        switch backoff {
        case .fixed(let ms): return max(0, ms)
        case .exponential(let initial, let maxMs, let jitter):
            let exponent = min(max(attempts - 1, 0), 30)
            let base = min(Double(maxMs), Double(initial) * Double(1 << exponent))
            let spread = base * jitter * (random * 2 - 1)
            return max(1, Int64((base + spread).rounded()))
        }
    }
}
