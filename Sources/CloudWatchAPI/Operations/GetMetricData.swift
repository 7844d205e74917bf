import AWSProtocol
import CloudWatchMetrics
import Foundation

extension CloudWatchService {
    /// GetMetricData: up to 500 queries — metric statistics (`MetricStat`) and metric math (`MetricDataQuerySet`) —
    /// newest first unless `ScanBy` says otherwise, at most `MaxDatapoints` values per page (paged with `NextToken`).
    func getMetricData(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(GetMetricDataInput.self, from: request)
        let set = try MetricDataQuerySet(input.MetricDataQueries, field: "MetricDataQueries")
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
        var results: [MetricDataResult] = []
        for series in try await set.evaluate(start: input.StartTime.timeIntervalSince1970, end: input.EndTime.timeIntervalSince1970,
                                              directory: directory) {
            var times = series.points.keys.sorted()
            if !ascending { times.reverse() }
            results.append(MetricDataResult(Id: series.id, Label: series.label, Timestamps: times.map { Date(timeIntervalSince1970: Double($0)) },
                                            Values: times.map { series.points[$0]! }, StatusCode: "Complete", Messages: []))
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
