/// What an expression is evaluated against: the values of the queries already evaluated (metric queries' series,
/// earlier expressions' results) and the time range of the request (for `FILL`, `TIME_SERIES` and scalars).
public struct MetricMathContext: Sendable {
    public var values: [String: MetricMathValue]
    /// The metric queries' ids in request order: what `METRICS()` stands for.
    public var metricIds: [String]
    public var start: Int64
    /// Exclusive.
    public var end: Int64
    /// The period of series made from numbers.
    public var period: Int

    public init(values: [String: MetricMathValue], metricIds: [String], start: Int64, end: Int64, period: Int) {
        self.values = values
        self.metricIds = metricIds
        self.start = start
        self.end = end
        self.period = period
    }

    /// Period starts of `period` seconds covering the range.
    func grid(period: Int) -> [Int64] {
        let p = Int64(max(1, period))
        var t = start >= 0 ? start / p * p : ((start - p + 1) / p) * p
        var out: [Int64] = []
        while t < end, out.count < 100_800 {
            out.append(t)
            t += p
        }
        return out
    }
}

extension MetricExpression {
    public func evaluate(_ context: MetricMathContext) throws(MetricsError) -> MetricMathValue {
        switch self {
        case .number(let n): return .scalar(n)
        case .string(let s): throw MetricsError.validation("Metrics expression: the string '\(s)' is not a value here.")
        case .keyword(let k): throw MetricsError.validation("Metrics expression: \(k) is not a value here (ids start with a lower-case letter).")
        case .reference(let id):
            guard let value = context.values[id] else { throw MetricsError.validation("Metrics expression: no query has the id \(id).") }
            return value
        case .list(let items):
            var out: [TimeSeries] = []
            for item in items {
                switch try item.evaluate(context) {
                case .series(let s): out.append(s)
                case .array(let a): out += a
                case .scalar: throw MetricsError.validation("Metrics expression: an array holds time series, not numbers.")
                }
            }
            return .array(out)
        case .negate(let e):
            return try e.evaluate(context).map { -$0 }
        case .binary(let op, let a, let b):
            return try Self.combine(op, try a.evaluate(context), try b.evaluate(context))
        case .call(let name, let args):
            return try MetricMathFunctions.call(name, args, context)
        }
    }

    static func apply(_ op: String, _ x: Double, _ y: Double) -> Double? {
        switch op {
        case "+": x + y
        case "-": x - y
        case "*": x * y
        case "/": y == 0 ? nil : x / y
        case "^": Foundation.pow(x, y)
        case "<": x < y ? 1 : 0
        case "<=": x <= y ? 1 : 0
        case ">": x > y ? 1 : 0
        case ">=": x >= y ? 1 : 0
        case "==": x == y ? 1 : 0
        case "!=": x != y ? 1 : 0
        case "AND": x != 0 && y != 0 ? 1 : 0
        default: x != 0 || y != 0 ? 1 : 0
        }
    }

    /// Point by point on common timestamps; a series and a number pointwise; an array element by element. A
    /// division by zero leaves the point out.
    static func combine(_ op: String, _ a: MetricMathValue, _ b: MetricMathValue) throws(MetricsError) -> MetricMathValue {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)): return .scalar(apply(op, x, y) ?? .nan)
        case (.series(let s), .scalar(let y)): return .series(s.with(s.points.compactMapValues { apply(op, $0, y) }))
        case (.scalar(let x), .series(let s)): return .series(s.with(s.points.compactMapValues { apply(op, x, $0) }))
        case (.series(let s), .series(let t)): return .series(s.with(combine(op, s.points, t.points)))
        case (.array(let items), .scalar), (.array(let items), .series):
            return .array(try items.map { item throws(MetricsError) in try combine(op, .series(item), b).series! })
        case (.scalar, .array(let items)), (.series, .array(let items)):
            return .array(try items.map { item throws(MetricsError) in try combine(op, a, .series(item)).series! })
        case (.array(let xs), .array(let ys)):
            guard xs.count == ys.count else {
                throw MetricsError.validation("Metrics expression: arrays of \(xs.count) and \(ys.count) time series cannot be combined.")
            }
            return .array(zip(xs, ys).map { x, y in x.with(combine(op, x.points, y.points)) })
        }
    }

    static func combine(_ op: String, _ s: [Int64: Double], _ t: [Int64: Double]) -> [Int64: Double] {
        var out: [Int64: Double] = [:]
        for (time, x) in s { if let y = t[time], let v = apply(op, x, y) { out[time] = v } }
        return out
    }
}

extension MetricMathValue {
    /// The value with `f` applied to every number (points where `f` gives nil are left out).
    func map(_ f: (Double) -> Double?) -> MetricMathValue {
        switch self {
        case .scalar(let x): .scalar(f(x) ?? .nan)
        case .series(let s): .series(s.with(s.points.compactMapValues(f)))
        case .array(let items): .array(items.map { $0.with($0.points.compactMapValues(f)) })
        }
    }

    var series: TimeSeries? {
        if case .series(let s) = self { return s }
        return nil
    }
}

import Foundation
