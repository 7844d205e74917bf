/// X-Ray trace ids: `1-<8 hex digits: epoch seconds>-<24 hex digits>`.
public enum TraceID {
    /// Whether `id` is a well-formed trace id.
    public static func isValid(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "1", parts[1].count == 8, parts[2].count == 24 else { return false }
        return parts[1].allSatisfy(\.isHexDigit) && parts[2].allSatisfy(\.isHexDigit)
    }

    /// The time (seconds since 1970) a valid trace id was started at.
    public static func epochSeconds(_ id: String) -> Int64? {
        guard isValid(id) else { return nil }
        let parts = id.split(separator: "-")
        return Int64(parts[1], radix: 16)
    }

    /// Whether `id` is a segment id: 16 hex digits.
    public static func isSegmentId(_ id: String) -> Bool {
        id.utf8.count == 16 && id.allSatisfy(\.isHexDigit)
    }

    /// A new random segment id.
    public static func newSegmentId() -> String {
        hex(UInt64.random(in: 0...UInt64.max), digits: 16)
    }

    /// A new trace id started now.
    public static func newTraceId(at seconds: Int64) -> String {
        "1-" + hex(UInt64(UInt32(truncatingIfNeeded: seconds)), digits: 8) + "-"
            + hex(UInt64.random(in: 0...UInt64.max), digits: 16) + hex(UInt64.random(in: 0...UInt64.max), digits: 8)
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        if text.count >= digits { return String(text.suffix(digits)) }
        return String(repeating: "0", count: digits - text.count) + text
    }
}
