/// A metric math expression (GetMetricData's and alarms' `Expression`): numbers, the ids of other queries, strings,
/// arrays `[m1, m2]`, arithmetic `+ - * / ^`, comparisons `< <= > >= == !=`, `AND`/`&&`, `OR`/`||`, and function
/// calls (`MetricMathFunctions`). Values are numbers, time series or arrays of series (`MetricMathValue`).
public indirect enum MetricExpression: Sendable, Equatable {
    case number(Double)
    case string(String)
    /// An upper-case word that is an argument, not an id: `REPEAT`, `LINEAR`, `ASC`, `DESC`, `SUM`, …
    case keyword(String)
    case reference(String)
    case list([MetricExpression])
    case negate(MetricExpression)
    case binary(String, MetricExpression, MetricExpression)
    case call(String, [MetricExpression])

    /// Parses `text`; the error names what is wrong.
    public init(parsing text: String) throws(MetricsError) {
        var parser = MetricExpressionParser(Array(text))
        self = try parser.expression()
        parser.skipSpaces()
        guard parser.atEnd else { throw MetricsError.validation("Metrics expression: unexpected '\(parser.rest)' in \(text).") }
    }

    /// The ids the expression reads.
    public var references: Set<String> {
        switch self {
        case .number, .string, .keyword: []
        case .reference(let id): [id]
        case .list(let items): items.reduce(into: Set<String>()) { $0.formUnion($1.references) }
        case .negate(let e): e.references
        case .binary(_, let a, let b): a.references.union(b.references)
        case .call(_, let args): args.reduce(into: Set<String>()) { $0.formUnion($1.references) }
        }
    }

    /// Whether the expression reads every metric query (`METRICS()`): it is evaluated after all of them.
    public var readsAllMetrics: Bool {
        switch self {
        case .number, .string, .keyword, .reference: false
        case .list(let items): items.contains(where: \.readsAllMetrics)
        case .negate(let e): e.readsAllMetrics
        case .binary(_, let a, let b): a.readsAllMetrics || b.readsAllMetrics
        case .call(let name, let args): name == "METRICS" || args.contains(where: \.readsAllMetrics)
        }
    }
}
