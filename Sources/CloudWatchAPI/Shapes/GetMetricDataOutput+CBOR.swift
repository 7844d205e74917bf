import CloudWatchMetrics
import AWSProtocol
import Foundation

/// Output shapes written straight to CBOR: a long GetMetricData answer (10 × 1,440 values and timestamps) costs
/// several times less this way than through the JSON bridge.
protocol CBORRepresentable {
    var cbor: CBORValue { get }
}

extension GetMetricDataOutput: CBORRepresentable {
    var cbor: CBORValue {
        var pairs: [(key: CBORValue, value: CBORValue)] = [
            (.text("MetricDataResults"), .array(MetricDataResults.map(\.cbor))),
            (.text("Messages"), .array([])),
        ]
        if let NextToken { pairs.append((.text("NextToken"), .text(NextToken))) }
        return .map(pairs)
    }
}

extension MetricDataResult {
    var cbor: CBORValue {
        .map([
            (.text("Id"), .text(Id)),
            (.text("Label"), .text(Label)),
            (.text("Timestamps"), .array(Timestamps.map { .tagged(1, .float($0.timeIntervalSince1970)) })),
            (.text("Values"), .array(Values.map { .float($0) })),
            (.text("StatusCode"), .text(StatusCode)),
            (.text("Messages"), .array([])),
        ])
    }
}
