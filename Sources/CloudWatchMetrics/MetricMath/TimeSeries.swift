/// One time series of metric math: values by period start (seconds), the period they were read at, and the label
/// GetMetricData reports for it.
public struct TimeSeries: Sendable, Equatable {
    public var label: String
    public var period: Int
    public var points: [Int64: Double]

    public init(label: String, period: Int, points: [Int64: Double]) {
        self.label = label
        self.period = period
        self.points = points
    }

    /// The timestamps in order.
    public var times: [Int64] { points.keys.sorted() }

    func with(_ points: [Int64: Double]) -> TimeSeries {
        TimeSeries(label: label, period: period, points: points)
    }
}

/// What a metric math expression gives: a number, one time series, or an array of them (`METRICS()`).
public enum MetricMathValue: Sendable, Equatable {
    case scalar(Double)
    case series(TimeSeries)
    case array([TimeSeries])
}
