import Foundation

/// GetMetricData's `MetricDataQueries` or an alarm's `Metrics`: checked together (ids, exactly one of `MetricStat`
/// and `Expression`, periods, statistics, units, dimensions, expression syntax), then evaluated over a time range —
/// metric queries read from the directory, each expression once every value it reads is known (expressions may
/// read expressions; a cycle is refused).
public struct MetricDataQuerySet: Sendable {
    public let queries: [MetricDataQuery]
    let expressions: [String: MetricExpression]

    /// One returned series: a query's id (an expression giving an array returns several under its id) and label.
    public struct Result: Sendable, Equatable {
        public var id: String
        public var label: String
        public var points: [Int64: Double]
    }

    /// `field` names the list in errors: `MetricDataQueries` or `Metrics`.
    public init(_ queries: [MetricDataQuery], field: String) throws(MetricsError) {
        guard !queries.isEmpty else { throw MetricsError.missingParameter("The parameter \(field) is required.") }
        guard queries.count <= 500 else {
            throw MetricsError.invalidParameterValue("The collection \(field) must not have a size greater than 500.")
        }
        var seen: Set<String> = []
        var expressions: [String: MetricExpression] = [:]
        for (i, query) in queries.enumerated() {
            let member = "\(field).member.\(i + 1)"
            guard query.Id.first.map({ $0.isLowercase && $0.isASCII }) == true,
                  query.Id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), query.Id.count <= 255 else {
                throw MetricsError.validation("The value \(query.Id) for parameter \(member).Id is invalid: it must start with a lowercase letter and hold only letters, digits and underscores.")
            }
            guard seen.insert(query.Id).inserted else {
                throw MetricsError.validation("The values of \(member).Id must be unique: \(query.Id) is used twice.")
            }
            guard (query.MetricStat == nil) != (query.Expression == nil) else {
                throw MetricsError.validation("Exactly one of \(member).MetricStat and \(member).Expression must be given.")
            }
            if let text = query.Expression {
                guard text.count <= 2048 else { throw MetricsError.validation("\(member).Expression is longer than 2048 characters.") }
                expressions[query.Id] = try MetricExpression(parsing: text)
                continue
            }
            guard let stat = query.MetricStat else { continue }
            try MetricsDirectory.checkPeriod(stat.Period, field: "\(member).MetricStat.Period")
            guard MetricStatistic(stat: stat.Stat) != nil else {
                throw MetricsError.validation("The value \(stat.Stat) for parameter \(member).MetricStat.Stat is not supported.")
            }
            try MetricsDirectory.checkUnit(stat.Unit, field: "\(member).MetricStat.Unit")
            guard stat.Metric.Namespace != nil, stat.Metric.MetricName != nil else {
                throw MetricsError.missingParameter("The parameters \(member).MetricStat.Metric.Namespace and MetricName are required.")
            }
            try MetricsDirectory.checkDimensions(Self.dimensions(stat), field: "\(member).MetricStat.Metric.Dimensions")
        }
        let known = Set(queries.map(\.Id))
        for (id, expression) in expressions {
            if let missing = expression.references.subtracting(known).sorted().first {
                throw MetricsError.validation("Metrics expression \(id): no query has the id \(missing).")
            }
        }
        self.queries = queries
        self.expressions = expressions
    }

    static func dimensions(_ stat: MetricStat) -> [MetricDimension] {
        (stat.Metric.Dimensions ?? []).map { MetricDimension(name: $0.Name, value: $0.Value) }
    }

    /// The series of the queries that return data (ReturnData not false), in query order, over [start, end) seconds.
    public func evaluate(start: Double, end: Double, directory: MetricsDirectory) async throws -> [Result] {
        var values: [String: MetricMathValue] = [:]
        var metricIds: [String] = []
        let rangeEnd = Int64(end.rounded(.up))
        for query in queries {
            guard let stat = query.MetricStat, let namespace = stat.Metric.Namespace, let name = stat.Metric.MetricName,
                  let statistic = MetricStatistic(stat: stat.Stat) else { continue }
            let periods = try await directory.periods(
                MetricQuery(identity: MetricIdentity(namespace: namespace, name: name, dimensions: Self.dimensions(stat)), period: stat.Period,
                            unit: stat.Unit, percentiles: MetricStatistic.isPercentile(statistic)),
                start: MetricsDirectory.alignedStart(start, period: stat.Period), end: rangeEnd)
            var points: [Int64: Double] = [:]
            for p in periods { if let v = p.aggregate.value(of: statistic) { points[p.start] = v } }
            values[query.Id] = .series(TimeSeries(label: query.Label ?? name, period: stat.Period, points: points))
            metricIds.append(query.Id)
        }
        let period = queries.compactMap(\.MetricStat?.Period).min() ?? 60
        var context = MetricMathContext(values: values, metricIds: metricIds,
                                        start: MetricsDirectory.alignedStart(start, period: period), end: rangeEnd, period: period)
        var pending = expressions
        while !pending.isEmpty {
            let ready = pending.filter { $0.value.references.allSatisfy { context.values[$0] != nil } }
            guard !ready.isEmpty else {
                throw MetricsError.validation("Metrics expressions refer to each other in a cycle: \(pending.keys.sorted().joined(separator: ", ")).")
            }
            for (id, expression) in ready {
                var value = try expression.evaluate(context)
                if case .series(var s) = value, s.label.isEmpty {
                    s.label = id
                    value = .series(s)
                }
                context.values[id] = value
                pending[id] = nil
            }
        }
        var results: [Result] = []
        for query in queries where query.ReturnData ?? true {
            let label = query.Label ?? query.MetricStat?.Metric.MetricName ?? query.Id
            switch context.values[query.Id] {
            case .series(let s)?: results.append(Result(id: query.Id, label: label, points: s.points))
            case .scalar(let x)?: results.append(Result(id: query.Id, label: label, points: MetricMathFunctions.constant(x, context).points))
            case .array(let items)?:
                for s in items { results.append(Result(id: query.Id, label: s.label.isEmpty ? label : s.label, points: s.points)) }
            case nil: break
            }
        }
        return results
    }
}
