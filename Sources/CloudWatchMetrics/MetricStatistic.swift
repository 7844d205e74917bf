import Foundation

/// A statistic CloudWatch computes over a period: the five basic ones and percentiles (`p99`, `p99.9`).
public enum MetricStatistic: Sendable, Hashable {
    case sampleCount, sum, average, minimum, maximum
    case percentile(Double)

    public static let basicNames = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"]

    /// `SampleCount`, `Average`, `Sum`, `Minimum`, `Maximum`.
    public init?(basic name: String) {
        switch name {
        case "SampleCount": self = .sampleCount
        case "Sum": self = .sum
        case "Average": self = .average
        case "Minimum": self = .minimum
        case "Maximum": self = .maximum
        default: return nil
        }
    }

    /// `p0.0` … `p100` with up to two decimals (ExtendedStatistics' pattern).
    public init?(percentile name: String) {
        guard name.count >= 2, name.first == "p" || name.first == "P" else { return nil }
        let number = name.dropFirst()
        guard number.allSatisfy({ $0.isNumber || $0 == "." }), number.filter({ $0 == "." }).count <= 1,
              number.split(separator: ".", omittingEmptySubsequences: false).last.map({ number.contains(".") ? $0.count <= 2 : true }) == true,
              !number.hasPrefix("."), !number.hasSuffix("."),
              let p = Double(number), p >= 0, p <= 100 else { return nil }
        self = .percentile(p)
    }

    /// A `Stat` of GetMetricData: a basic statistic or a percentile.
    public init?(stat: String) {
        if let basic = MetricStatistic(basic: stat) { self = basic } else if let p = MetricStatistic(percentile: stat) { self = p } else { return nil }
    }

    public static func isPercentile(_ s: MetricStatistic) -> Bool {
        if case .percentile = s { return true }
        return false
    }
}
