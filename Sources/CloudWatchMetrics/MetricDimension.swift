/// A name/value pair that is part of a metric's identity.
public struct MetricDimension: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
