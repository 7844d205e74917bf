import AWSProtocol
import CloudWatchMetrics
import Foundation

extension CloudWatchService {
    /// GetMetricStatistics: one metric's statistics per period, at most 1,440 periods.
    func getMetricStatistics(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(GetMetricStatisticsInput.self, from: request)
        try MetricsDirectory.checkNamespace(input.Namespace, publishing: false)
        let dimensions = (input.Dimensions ?? []).map { MetricDimension(name: $0.Name, value: $0.Value) }
        try MetricsDirectory.checkDimensions(dimensions, field: "Dimensions")
        try MetricsDirectory.checkUnit(input.Unit, field: "Unit")
        try MetricsDirectory.checkPeriod(input.Period)
        let basics = input.Statistics ?? []
        let extended = input.ExtendedStatistics ?? []
        if basics.isEmpty && extended.isEmpty {
            throw MetricsError.missingParameter("Must specify either Statistics or ExtendedStatistics.")
        }
        if !basics.isEmpty && !extended.isEmpty {
            throw MetricsError.invalidParameterCombination("The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.")
        }
        guard basics.count <= 5 else { throw MetricsError.invalidParameterValue("The collection Statistics must not have a size greater than 5.") }
        guard extended.count <= 10 else { throw MetricsError.invalidParameterValue("The collection ExtendedStatistics must not have a size greater than 10.") }
        var statistics: [(String, MetricStatistic)] = []
        for name in basics {
            guard let s = MetricStatistic(basic: name) else {
                throw MetricsError.invalidParameterValue("The parameter Statistics.member.\(statistics.count + 1) must be a value in the set [ SampleCount, Average, Sum, Minimum, Maximum ].")
            }
            statistics.append((name, s))
        }
        for name in extended {
            guard let s = MetricStatistic(percentile: name) else {
                throw MetricsError.invalidParameterValue("The value \(name) for parameter ExtendedStatistics is not supported.")
            }
            statistics.append((name, s))
        }
        guard input.StartTime < input.EndTime else {
            throw MetricsError.invalidParameterValue("The parameter StartTime must be less than the parameter EndTime.")
        }
        let start = MetricsDirectory.alignedStart(input.StartTime.timeIntervalSince1970, period: input.Period)
        let end = Int64(input.EndTime.timeIntervalSince1970.rounded(.up))
        let requested = (end - start + Int64(input.Period) - 1) / Int64(input.Period)
        guard requested <= 1440 else {
            throw MetricsError.invalidParameterCombination("You have requested up to \(requested) datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.")
        }
        let identity = MetricIdentity(namespace: input.Namespace, name: input.MetricName, dimensions: dimensions)
        let periods = try await directory.periods(MetricQuery(identity: identity, period: input.Period, unit: input.Unit,
                                                                 percentiles: !extended.isEmpty), start: start, end: end)
        let datapoints = periods.map { period -> Datapoint in
            var point = Datapoint(Timestamp: Date(timeIntervalSince1970: Double(period.start)))
            point.Unit = input.Unit ?? period.unit ?? "None"
            for (name, statistic) in statistics {
                let value = period.aggregate.value(of: statistic)
                switch statistic {
                case .sampleCount: point.SampleCount = value
                case .sum: point.Sum = value
                case .average: point.Average = value
                case .minimum: point.Minimum = value
                case .maximum: point.Maximum = value
                case .percentile:
                    if let value { point.ExtendedStatistics = (point.ExtendedStatistics ?? [:]).merging([name: value]) { $1 } }
                }
            }
            return point
        }
        return try wire.encode(GetMetricStatisticsOutput(Label: input.MetricName, Datapoints: datapoints))
    }
}
