/// `FlexibleTimeWindow`: `OFF`, or `FLEXIBLE` within `MaximumWindowInMinutes` after each due time.
public struct FlexibleTimeWindow: Sendable, Codable, Equatable {
    public var Mode: String
    public var MaximumWindowInMinutes: Int?

    public init(Mode: String, MaximumWindowInMinutes: Int? = nil) {
        self.Mode = Mode
        self.MaximumWindowInMinutes = MaximumWindowInMinutes
    }

    /// The window in ms (0 when `OFF`).
    public var windowMs: Int64 {
        Mode == "FLEXIBLE" ? Int64(MaximumWindowInMinutes ?? 0) * 60_000 : 0
    }
}
