import AWSProtocol
import CloudWatchMetrics
import Foundation

extension CloudWatchService {
    /// GetMetricData: up to 500 queries of metric statistics (`MetricStat`), newest first unless `ScanBy` says
    /// otherwise, at most `MaxDatapoints` values per page (paged with `NextToken`).
    func getMetricData(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(GetMetricDataInput.self, from: request)
        let queries = input.MetricDataQueries
        guard !queries.isEmpty else { throw MetricsError.missingParameter("The parameter MetricDataQueries is required.") }
        guard queries.count <= 500 else {
            throw MetricsError.invalidParameterValue("The collection MetricDataQueries must not have a size greater than 500.")
        }
        guard input.StartTime < input.EndTime else {
            throw MetricsError.validation("The parameter StartTime must be less than the parameter EndTime.")
        }
        let ascending: Bool
        switch input.ScanBy ?? "TimestampDescending" {
        case "TimestampDescending": ascending = false
        case "TimestampAscending": ascending = true
        case let other: throw MetricsError.validation("The value \(other) for parameter ScanBy is invalid.")
        }
        let maxDatapoints = input.MaxDatapoints ?? 100_800
        guard maxDatapoints >= 1 else { throw MetricsError.validation("The parameter MaxDatapoints must be greater than 0.") }
        var seen: Set<String> = []
        var expressions: [String: MetricExpression] = [:]
        // Every metric query's series (those with ReturnData false too: expressions may read them).
        var series: [String: [Int64: Double]] = [:]
        var metricIds: [String] = []
        for (i, query) in queries.enumerated() {
            let field = "MetricDataQueries.member.\(i + 1)"
            guard query.Id.first.map({ $0.isLowercase && $0.isASCII }) == true,
                  query.Id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), query.Id.count <= 255 else {
                throw MetricsError.validation("The value \(query.Id) for parameter \(field).Id is invalid: it must start with a lowercase letter and hold only letters, digits and underscores.")
            }
            guard seen.insert(query.Id).inserted else {
                throw MetricsError.validation("The values of \(field).Id must be unique: \(query.Id) is used twice.")
            }
            guard (query.MetricStat == nil) != (query.Expression == nil) else {
                throw MetricsError.validation("Exactly one of \(field).MetricStat and \(field).Expression must be given.")
            }
            if let text = query.Expression {
                guard text.count <= 2048 else { throw MetricsError.validation("\(field).Expression is longer than 2048 characters.") }
                expressions[query.Id] = try MetricExpression(parsing: text)
                continue
            }
            guard let stat = query.MetricStat else { continue }
            try MetricsDirectory.checkPeriod(stat.Period, field: "\(field).MetricStat.Period")
            guard let statistic = MetricStatistic(stat: stat.Stat) else {
                throw MetricsError.validation("The value \(stat.Stat) for parameter \(field).MetricStat.Stat is not supported.")
            }
            try MetricsDirectory.checkUnit(stat.Unit, field: "\(field).MetricStat.Unit")
            guard let namespace = stat.Metric.Namespace, let name = stat.Metric.MetricName else {
                throw MetricsError.missingParameter("The parameters \(field).MetricStat.Metric.Namespace and MetricName are required.")
            }
            let dimensions = (stat.Metric.Dimensions ?? []).map { MetricDimension(name: $0.Name, value: $0.Value) }
            try MetricsDirectory.checkDimensions(dimensions, field: "\(field).MetricStat.Metric.Dimensions")
            let start = MetricsDirectory.alignedStart(input.StartTime.timeIntervalSince1970, period: stat.Period)
            let end = Int64(input.EndTime.timeIntervalSince1970.rounded(.up))
            let periods = try await directory.periods(
                MetricQuery(identity: MetricIdentity(namespace: namespace, name: name, dimensions: dimensions), period: stat.Period,
                            unit: stat.Unit, percentiles: MetricStatistic.isPercentile(statistic)), start: start, end: end)
            var values: [Int64: Double] = [:]
            for p in periods { if let v = p.aggregate.value(of: statistic) { values[p.start] = v } }
            series[query.Id] = values
            metricIds.append(query.Id)
        }
        // Expressions, each once the series it reads are known (expressions may read expressions; a cycle is refused).
        var pending = expressions
        while !pending.isEmpty {
            let ready = pending.filter { $0.value.references.allSatisfy { series[$0] != nil } }
            guard !ready.isEmpty else {
                let missing = pending.flatMap { $0.value.references.filter { series[$0] == nil && expressions[$0] == nil } }
                if let id = missing.first { throw MetricsError.validation("Metrics expression: no query has the id \(id).") }
                throw MetricsError.validation("Metrics expressions refer to each other in a cycle: \(pending.keys.sorted().joined(separator: ", ")).")
            }
            for (id, expression) in ready {
                guard case .series(let values) = try expression.evaluate(series, metricIds: metricIds) else {
                    throw MetricsError.validation("Metrics expression \(id) gives a single number, not a time series.")
                }
                series[id] = values
                pending[id] = nil
            }
        }
        var results: [MetricDataResult] = []
        for query in queries where query.ReturnData ?? true {
            let values = series[query.Id] ?? [:]
            var times = values.keys.sorted()
            if !ascending { times.reverse() }
            let label = query.Label ?? query.MetricStat?.Metric.MetricName ?? query.Id
            results.append(MetricDataResult(Id: query.Id, Label: label, Timestamps: times.map { Date(timeIntervalSince1970: Double($0)) },
                                            Values: times.map { values[$0]! }, StatusCode: "Complete", Messages: []))
        }
        // Paging: values in query order, `MaxDatapoints` per page; the token is the offset of the next value.
        let offset: Int
        if let token = input.NextToken {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
                  text.hasPrefix("offset:"), let n = Int(text.dropFirst(7)), n >= 0 else {
                throw MetricsError.invalidNextToken("The service cannot read the NextToken you gave.")
            }
            offset = n
        } else {
            offset = 0
        }
        var page: [MetricDataResult] = []
        var skip = offset
        var room = maxDatapoints
        var consumed = offset
        var next: String?
        for result in results {
            let count = result.Values.count
            if count > 0 && skip >= count {
                skip -= count
                continue
            }
            let from = skip
            skip = 0
            let upto = min(count, from + room)
            var slice = result
            slice.Timestamps = Array(result.Timestamps[from..<upto])
            slice.Values = Array(result.Values[from..<upto])
            room -= upto - from
            consumed += upto - from
            if upto < count {
                slice.StatusCode = "PartialData"
                page.append(slice)
                next = Data("offset:\(consumed)".utf8).base64EncodedString()
                break
            }
            page.append(slice)
        }
        return try wire.encode(GetMetricDataOutput(MetricDataResults: page, NextToken: next, Messages: []))
    }
}
