/// CloudWatch's retention and roll-up schedule: 1-second points for 3 hours, 1-minute for 15 days, 5-minute for
/// 63 days, 1-hour for 455 days. Every point is also added to the coarser resolutions when it is written, so a
/// roll-up is ready when the finer points expire.
public enum RetentionSchedule {
    public static let resolutions: [(seconds: Int, retention: Int64)] = [
        (1, 3 * 3600), (60, 15 * 86_400), (300, 63 * 86_400), (3600, 455 * 86_400),
    ]

    /// The resolutions a point of `resolution` is written at (itself and every coarser one).
    public static func rollups(from resolution: Int) -> [Int] {
        resolutions.map(\.seconds).filter { $0 >= resolution }
    }

    /// The stored resolution a query of `period` reads from `start` on (`now` in epoch seconds): 1-second points
    /// for periods under a minute (high-resolution metrics only), else the finest of the minute-or-coarser
    /// resolutions that divides the period and still holds data that old, else the finest that divides it.
    public static func source(period: Int, start: Int64, now: Int64) -> Int? {
        let candidates = resolutions.filter { $0.seconds <= period && period % $0.seconds == 0 && ($0.seconds == 1) == (period < 60) }
        return (candidates.first { now - start <= $0.retention } ?? candidates.first)?.seconds
    }
}
