import Foundation

/// One metric: namespace, name and dimensions (kept sorted by name, so the same set names the same metric
/// whatever order a caller wrote it in).
public struct MetricIdentity: Sendable, Hashable {
    public let namespace: String
    public let name: String
    public let dimensions: [MetricDimension]
    /// A canonical text of the three, the series' key in the store.
    public let key: String

    public init(namespace: String, name: String, dimensions: [MetricDimension]) {
        self.namespace = namespace
        self.name = name
        self.dimensions = dimensions.sorted { $0.name < $1.name }
        var key = namespace + "\u{1f}" + name
        for d in self.dimensions { key += "\u{1f}" + d.name + "\u{1e}" + d.value }
        self.key = key
    }
}
