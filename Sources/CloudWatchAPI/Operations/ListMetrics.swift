import AWSProtocol
import CloudWatchMetrics
import Foundation

extension CloudWatchService {
    /// ListMetrics: metrics with data in the last two weeks (or three hours with `RecentlyActive: PT3H`), 500 a page.
    func listMetrics(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(ListMetricsInput.self, from: request)
        if let namespace = input.Namespace { try MetricsDirectory.checkNamespace(namespace, publishing: false) }
        if let active = input.RecentlyActive, active != "PT3H" {
            throw MetricsError.invalidParameterValue("The value \(active) for parameter RecentlyActive is invalid: PT3H is the only value.")
        }
        let filters = (input.Dimensions ?? []).map { (name: $0.Name, value: $0.Value) }
        guard filters.count <= 10 else { throw MetricsError.invalidParameterValue("The collection Dimensions must not have a size greater than 10.") }
        let metrics = try await directory.list(namespace: input.Namespace, name: input.MetricName, dimensions: filters,
                                               recentlyActiveSeconds: input.RecentlyActive == nil ? nil : 3 * 3600)
        var offset = 0
        if let token = input.NextToken {
            guard let data = Data(base64Encoded: token), let n = Int(String(decoding: data, as: UTF8.self)), n >= 0, n <= metrics.count else {
                throw MetricsError.invalidNextToken("The service cannot read the NextToken you gave.")
            }
            offset = n
        }
        let page = metrics[offset..<min(metrics.count, offset + 500)]
        let next = offset + page.count < metrics.count ? Data(String(offset + page.count).utf8).base64EncodedString() : nil
        return try wire.encode(ListMetricsOutput(
            Metrics: page.map { Metric(Namespace: $0.namespace, MetricName: $0.name,
                                       Dimensions: $0.dimensions.map { Dimension(Name: $0.name, Value: $0.value) }) },
            NextToken: next))
    }
}
