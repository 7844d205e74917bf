import AWSProtocol
import CloudWatchMetrics
import Foundation

extension CloudWatchService {
    /// PutMetricData: up to 1,000 data of one namespace, each values (≤ 150, with counts), a value, or a statistic set.
    func putMetricData(_ request: APIRequest) async throws -> APIResponse {
        let input = try wire.decode(PutMetricDataInput.self, from: request)
        try MetricsDirectory.checkNamespace(input.Namespace, publishing: true)
        guard let data = input.MetricData, !data.isEmpty else { throw MetricsError.missingParameter("The parameter MetricData is required.") }
        guard data.count <= 1000 else {
            throw MetricsError.invalidParameterValue("The collection MetricData must not have a size greater than 1000.")
        }
        let nowMs = Int64(directory.now * 1000)
        var accepted: [CloudWatchMetrics.MetricDatum] = []
        for (i, datum) in data.enumerated() {
            accepted.append(try Self.validate(datum, field: "MetricData.member.\(i + 1)", namespace: input.Namespace, nowMs: nowMs))
        }
        directory.publish(accepted)
        return try wire.encode(EmptyOutput())
    }

    static func validate(_ datum: MetricDatum, field: String, namespace: String, nowMs: Int64) throws(MetricsError) -> CloudWatchMetrics.MetricDatum {
        guard !datum.MetricName.isEmpty, datum.MetricName.count <= 255 else {
            throw .invalidParameterValue("The parameter \(field).MetricName must be between 1 and 255 characters long.")
        }
        let dimensions = (datum.Dimensions ?? []).map { MetricDimension(name: $0.Name, value: $0.Value) }
        try MetricsDirectory.checkDimensions(dimensions, field: "\(field).Dimensions")
        try MetricsDirectory.checkUnit(datum.Unit, field: "\(field).Unit")
        if let r = datum.StorageResolution, r != 1, r != 60 {
            throw .invalidParameterValue("The value \(r) for parameter \(field).StorageResolution is invalid.")
        }
        let given = [datum.Value != nil ? "Value" : nil, datum.Values != nil ? "Values" : nil, datum.StatisticValues != nil ? "StatisticValues" : nil]
            .compactMap { $0 }
        if given.count > 1 {
            throw .invalidParameterCombination("The parameters \(field).\(given[0]) and \(field).\(given[1]) are mutually exclusive and you have specified both.")
        }
        if given.isEmpty {
            throw .invalidParameterCombination("At least one of the parameters \(field).Value, \(field).Values or \(field).StatisticValues must be specified.")
        }
        var values: [(value: Double, count: Double)] = []
        if let v = datum.Value {
            try checkValue(v, field: "\(field).Value")
            values = [(v, 1)]
        }
        if let vs = datum.Values {
            guard vs.count <= 150 else { throw .invalidParameterValue("The collection \(field).Values must not have a size greater than 150.") }
            if let counts = datum.Counts, counts.count != vs.count {
                throw .invalidParameterValue("The parameters \(field).Values and \(field).Counts must be of the same size.")
            }
            for (j, v) in vs.enumerated() {
                try checkValue(v, field: "\(field).Values.member.\(j + 1)")
                let count = datum.Counts?[j] ?? 1
                guard count.isFinite, count >= 0 else { throw .invalidParameterValue("The value \(count) for parameter \(field).Counts.member.\(j + 1) is invalid.") }
                values.append((v, count))
            }
        } else if datum.Counts != nil {
            throw .invalidParameterCombination("The parameter \(field).Counts may only be given with \(field).Values.")
        }
        var set: CloudWatchMetrics.MetricDatum.StatisticSet?
        if let s = datum.StatisticValues {
            for (name, v) in [("SampleCount", s.SampleCount), ("Sum", s.Sum), ("Minimum", s.Minimum), ("Maximum", s.Maximum)] {
                try checkValue(v, field: "\(field).StatisticValues.\(name)")
            }
            guard s.SampleCount > 0 else { throw .invalidParameterValue("The parameter \(field).StatisticValues.SampleCount must be greater than 0.") }
            guard s.Minimum <= s.Maximum else {
                throw .invalidParameterValue("The parameter \(field).StatisticValues.Minimum must be less than or equal to the parameter \(field).StatisticValues.Maximum.")
            }
            set = .init(sampleCount: s.SampleCount, sum: s.Sum, minimum: s.Minimum, maximum: s.Maximum)
        }
        let timestampMs = datum.Timestamp.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) } ?? nowMs
        if timestampMs > nowMs + 2 * 3_600_000 {
            throw .invalidParameterValue("The parameter \(field).Timestamp must specify a time no more than two hours in the future.")
        }
        if timestampMs < nowMs - 14 * 86_400_000 {
            throw .invalidParameterValue("The parameter \(field).Timestamp must specify a time within the past two weeks.")
        }
        return CloudWatchMetrics.MetricDatum(
            identity: MetricIdentity(namespace: namespace, name: datum.MetricName, dimensions: dimensions),
            values: values, statisticSet: set, unit: datum.Unit ?? "None", timestampMs: timestampMs,
            highResolution: datum.StorageResolution == 1)
    }

    /// CloudWatch takes numbers within ±2^360 (and zero); not NaN or infinity.
    static func checkValue(_ v: Double, field: String) throws(MetricsError) {
        let limit = pow(2.0, 360.0)
        guard v.isFinite, abs(v) <= limit, v == 0 || abs(v) >= 1 / limit else {
            throw .invalidParameterValue("The value \(v) for parameter \(field) is invalid.")
        }
    }
}
