import JSONText

/// The Embedded Metric Format: a JSON log line with `_aws: {Timestamp, CloudWatchMetrics: [{Namespace, Dimensions:
/// [[names]], Metrics: [{Name, Unit, StorageResolution}]}]}` whose top-level members hold the dimension values
/// (strings) and the metric values (a number or an array of up to 100 numbers). Each dimension set makes one metric.
/// Lines that are not valid EMF are ordinary log lines and give nothing.
public enum EmbeddedMetricFormat {
    /// Whether a line might be EMF (cheap test before parsing).
    public static func mightBe(_ line: String) -> Bool {
        line.utf8.first == UInt8(ascii: "{") && line.contains("\"_aws\"")
    }

    public static func data(in line: String, fallbackTimestampMs: Int64) -> [MetricDatum] {
        guard mightBe(line), let json = JSONText(parsing: Array(line.utf8)), case .object(let root) = json else { return [] }
        func member(_ fields: [(key: String, value: JSONText)], _ name: String) -> JSONText? {
            fields.first { $0.key == name }?.value
        }
        guard case .object(let aws)? = member(root, "_aws"), case .array(let directives)? = member(aws, "CloudWatchMetrics") else { return [] }
        var timestamp = fallbackTimestampMs
        if case .number(let t)? = member(aws, "Timestamp"), let ms = Double(t) { timestamp = Int64(ms) }
        var out: [MetricDatum] = []
        for directive in directives {
            guard case .object(let d) = directive, case .string(let namespace)? = member(d, "Namespace"),
                  !namespace.isEmpty, !namespace.hasPrefix("AWS/"), case .array(let metrics)? = member(d, "Metrics") else { continue }
            var dimensionSets: [[MetricDimension]] = []
            if case .array(let sets)? = member(d, "Dimensions") {
                for set in sets {
                    guard case .array(let names) = set, names.count <= 30 else { continue }
                    var dims: [MetricDimension] = []
                    var complete = true
                    for name in names {
                        guard case .string(let n) = name, case .string(let v)? = member(root, n), !v.isEmpty else { complete = false; break }
                        dims.append(MetricDimension(name: n, value: v))
                    }
                    if complete { dimensionSets.append(dims) }
                }
            }
            if dimensionSets.isEmpty { dimensionSets = [[]] }
            for metric in metrics.prefix(100) {
                guard case .object(let m) = metric, case .string(let name)? = member(m, "Name"), !name.isEmpty else { continue }
                var unit = "None"
                if case .string(let u)? = member(m, "Unit"), StandardUnit.all.contains(u) { unit = u }
                var highResolution = false
                if case .number(let r)? = member(m, "StorageResolution") { highResolution = r == "1" }
                var values: [(value: Double, count: Double)] = []
                switch member(root, name) {
                case .number(let n)?: if let v = Double(n), v.isFinite { values = [(v, 1)] }
                case .array(let items)?:
                    for item in items.prefix(100) {
                        if case .number(let n) = item, let v = Double(n), v.isFinite { values.append((v, 1)) }
                    }
                default: break
                }
                guard !values.isEmpty else { continue }
                for dims in dimensionSets {
                    out.append(MetricDatum(identity: MetricIdentity(namespace: namespace, name: name, dimensions: dims), values: values,
                                           unit: unit, timestampMs: timestamp, highResolution: highResolution))
                }
            }
        }
        return out
    }
}
