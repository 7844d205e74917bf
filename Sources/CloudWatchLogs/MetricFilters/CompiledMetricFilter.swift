import Foundation
import JSONText

/// A metric filter ready to run on events: its pattern parsed and its values' sources resolved.
struct CompiledMetricFilter: Sendable {
    enum ValueSource: Sendable {
        case constant(Double)
        case json(JSONSelector)
        case field(String)
    }

    let filter: MetricFilter
    let pattern: FilterPattern
    let value: ValueSource
    let dimensions: [(name: String, source: ValueSource)]

    init(_ filter: MetricFilter) throws(LogsError) {
        self.filter = filter
        pattern = try FilterPattern(parsing: filter.filterPattern)
        guard let transformation = filter.metricTransformations.first else {
            throw .invalidParameter("metricTransformations must hold exactly one transformation.")
        }
        value = try Self.source(transformation.metricValue, pattern: pattern, field: "metricValue")
        var dims: [(String, ValueSource)] = []
        for (name, expression) in (transformation.dimensions ?? [:]).sorted(by: { $0.key < $1.key }) {
            let source = try Self.source(expression, pattern: pattern, field: "dimensions")
            if case .constant = source { throw .invalidParameter("Invalid dimension value \(expression): a dimension names a field of the pattern.") }
            dims.append((name, source))
        }
        dimensions = dims
    }

    /// `1`, `2.5`, `$.latency` (a JSON pattern), `$bytes` (a space-delimited pattern's field).
    static func source(_ text: String, pattern: FilterPattern, field: String) throws(LogsError) -> ValueSource {
        if let n = Double(text), n.isFinite { return .constant(n) }
        guard text.hasPrefix("$"), text.count > 1 else {
            throw .invalidParameter("Invalid \(field) \(text): a number, or a field of the pattern ($.field or $name).")
        }
        switch pattern {
        case .json:
            guard text.hasPrefix("$.") else { throw .invalidParameter("Invalid \(field) \(text): JSON patterns take $.field selectors.") }
            return .json(try JSONPatternParser.parseSelector(text))
        case .spaceDelimited(let p):
            let name = String(text.dropFirst())
            guard p.fields.contains(where: { if case .named(let n, _) = $0 { n == name } else { false } }) else {
                throw .invalidParameter("Invalid \(field) \(text): the pattern has no field named \(name).")
            }
            return .field(name)
        default:
            throw .invalidParameter("Invalid \(field) \(text): only JSON and space-delimited patterns have fields.")
        }
    }

    /// The value and dimensions a matching message gives (nil when it does not match, or a field is missing).
    func extract(_ message: String) -> (value: Double, dimensions: [String: String])? {
        var fields: [String: String] = [:]
        var document: JSONText?
        switch pattern {
        case .spaceDelimited(let p):
            guard let captured = p.capture(message) else { return nil }
            fields = captured
        case .json(let condition):
            guard let doc = JSONText(parsing: Array(message.utf8)), condition.matches(doc) else { return nil }
            document = doc
        default:
            guard pattern.matches(message) else { return nil }
        }
        func resolve(_ source: ValueSource) -> String? {
            switch source {
            case .constant(let n): return String(n)
            case .field(let name): return fields[name]
            case .json(let selector):
                switch document.flatMap(selector.resolve(in:)) {
                case .number(let n)?: return n
                case .string(let s)?: return s
                case .bool(let b)?: return b ? "true" : "false"
                default: return nil
                }
            }
        }
        guard let valueText = resolve(value), let value = Double(valueText), value.isFinite else { return nil }
        var dims: [String: String] = [:]
        for (name, source) in dimensions {
            guard let v = resolve(source), !v.isEmpty else { return nil }
            dims[name] = v
        }
        return (value, dims)
    }
}

extension SpaceDelimitedPattern {
    /// The named fields' values of a matching message (the first way it matches), nil when it does not match.
    func capture(_ message: String) -> [String: String]? {
        let values = Self.split(message)
        var captured: [String: String] = [:]
        return capture(fieldIndex: 0, valueIndex: 0, values, &captured) ? captured : nil
    }

    private func capture(fieldIndex: Int, valueIndex: Int, _ values: [Substring], _ captured: inout [String: String]) -> Bool {
        if fieldIndex == fields.count { return valueIndex == values.count }
        switch fields[fieldIndex] {
        case .ellipsis:
            for skip in valueIndex...values.count where capture(fieldIndex: fieldIndex + 1, valueIndex: skip, values, &captured) {
                return true
            }
            return false
        case .named(let name, let conditions):
            guard valueIndex < values.count else { return false }
            let value = String(values[valueIndex])
            guard conditions.isEmpty || conditions.contains(where: { $0.allSatisfy { $0.holds(for: value) } }) else { return false }
            captured[name] = value
            return capture(fieldIndex: fieldIndex + 1, valueIndex: valueIndex + 1, values, &captured)
        }
    }
}
