/// Upper bounds (seconds) of the histograms' buckets.
public enum HistogramBuckets {
    /// Function durations: 1 ms to Lambda's 15-minute timeout.
    public static let invocationSeconds: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900,
    ]
    /// Environment initialisation: 10 ms to Lambda's 10-second init limit, and longer (provisioned, custom runtimes).
    public static let initSeconds: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
    /// Request latency of the listeners: 0.5 ms up to a synchronous invoke's 15 minutes.
    public static let requestSeconds: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900,
    ]
    /// Store statements: 10 µs to a second (a long FilterLogEvents scan).
    public static let storeSeconds: [Double] = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1]
}
