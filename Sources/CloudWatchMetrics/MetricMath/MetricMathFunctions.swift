import Foundation

/// The functions of metric math, as CloudWatch documents them. A function of one series that reduces it (`SUM`,
/// `AVG`, `MIN`, `MAX`, `STDDEV`, `DATAPOINT_COUNT`) gives a number; of an array, a series of the reduction at each
/// timestamp.
public enum MetricMathFunctions {
    public static let names: Set<String> = [
        "ABS", "AVG", "CEIL", "DATAPOINT_COUNT", "DATE", "DAY", "DIFF", "DIFF_TIME", "EPOCH", "FILL", "FIRST", "FLOOR",
        "HOUR", "IF", "LAST", "LOG", "LOG10", "MAX", "METRIC_COUNT", "METRICS", "MIN", "MINUTE", "MONTH", "PERIOD",
        "RATE", "REMOVE_EMPTY", "RUNNING_SUM", "SLICE", "SORT", "STDDEV", "SUM", "TIME_SERIES", "YEAR",
    ]

    static func call(_ name: String, _ args: [MetricExpression], _ context: MetricMathContext) throws(MetricsError) -> MetricMathValue {
        func arity(_ allowed: ClosedRange<Int>) throws(MetricsError) {
            guard allowed.contains(args.count) else {
                let count = allowed.lowerBound == allowed.upperBound ? "\(allowed.lowerBound)" : "\(allowed.lowerBound) to \(allowed.upperBound)"
                throw MetricsError.validation("Metrics expression: \(name) takes \(count) argument\(allowed.upperBound == 1 ? "" : "s"), not \(args.count).")
            }
        }
        func value(_ i: Int) throws(MetricsError) -> MetricMathValue { try args[i].evaluate(context) }
        func array(_ i: Int) throws(MetricsError) -> [TimeSeries] {
            switch try value(i) {
            case .array(let items): return items
            case .series(let s): return [s]
            case .scalar: throw MetricsError.validation("Metrics expression: \(name) takes an array of time series.")
            }
        }
        func integer(_ i: Int) throws(MetricsError) -> Int {
            guard case .scalar(let x) = try value(i), x.isFinite, x >= 0, x == x.rounded() else {
                throw MetricsError.validation("Metrics expression: argument \(i + 1) of \(name) must be a whole number.")
            }
            return Int(x)
        }

        switch name {
        case "ABS": try arity(1...1); return try value(0).map { abs($0) }
        case "CEIL": try arity(1...1); return try value(0).map { $0.rounded(.up) }
        case "FLOOR": try arity(1...1); return try value(0).map { $0.rounded(.down) }
        case "LOG": try arity(1...1); return try value(0).map { $0 > 0 ? Foundation.log($0) : nil }
        case "LOG10": try arity(1...1); return try value(0).map { $0 > 0 ? Foundation.log10($0) : nil }
        case "SUM", "AVG", "MIN", "MAX", "STDDEV", "DATAPOINT_COUNT":
            try arity(1...1)
            return reduce(name, try value(0))
        case "METRICS":
            try arity(0...1)
            var filter: String?
            if args.count == 1 {
                guard case .string(let s) = args[0] else { throw MetricsError.validation("Metrics expression: METRICS takes a string to filter by.") }
                filter = s
            }
            return .array(context.metricIds.compactMap { id -> TimeSeries? in
                guard case .series(let s)? = context.values[id] else { return nil }
                if let filter, !id.contains(filter), !s.label.contains(filter) { return nil }
                return s
            })
        case "METRIC_COUNT": try arity(1...1); return .scalar(Double(try array(0).count))
        case "REMOVE_EMPTY": try arity(1...1); return .array(try array(0).filter { !$0.points.isEmpty })
        case "FIRST", "LAST":
            try arity(1...1)
            let items = try array(0)
            guard let pick = name == "FIRST" ? items.first : items.last else { return .array([]) }
            return .series(pick)
        case "SLICE":
            try arity(3...3)
            let items = try array(0)
            let from = min(try integer(1), items.count)
            let to = min(max(from, try integer(2)), items.count)
            return .array(Array(items[from..<to]))
        case "SORT":
            try arity(3...4)
            let items = try array(0)
            guard case .keyword(let by) = args[1], ["SUM", "AVG", "MIN", "MAX", "STDDEV"].contains(by) else {
                throw MetricsError.validation("Metrics expression: SORT sorts by SUM, AVG, MIN, MAX or STDDEV.")
            }
            guard case .keyword(let order) = args[2], order == "ASC" || order == "DESC" else {
                throw MetricsError.validation("Metrics expression: SORT's order is ASC or DESC.")
            }
            let keyed = items.map { item -> (TimeSeries, Double) in
                guard case .scalar(let k) = reduce(by, .series(item)) else { return (item, -.infinity) }
                return (item, k.isNaN ? -.infinity : k)
            }
            var sorted = keyed.sorted { order == "ASC" ? $0.1 < $1.1 : $0.1 > $1.1 }.map(\.0)
            if args.count == 4 { sorted = Array(sorted.prefix(try integer(3))) }
            return .array(sorted)
        case "RATE", "DIFF", "DIFF_TIME", "RUNNING_SUM":
            try arity(1...1)
            return try perSeries(name, value(0)) { s in
                let times = s.times
                var out: [Int64: Double] = [:]
                var total = 0.0
                for (i, t) in times.enumerated() {
                    let v = s.points[t]!
                    if name == "RUNNING_SUM" { total += v; out[t] = total; continue }
                    guard i > 0 else { continue }
                    let p = times[i - 1]
                    switch name {
                    case "RATE": out[t] = (v - s.points[p]!) / Double(t - p)
                    case "DIFF": out[t] = v - s.points[p]!
                    default: out[t] = Double(t - p)
                    }
                }
                return out
            }
        case "EPOCH", "MINUTE", "HOUR", "DAY", "DATE", "MONTH", "YEAR":
            try arity(1...1)
            return try perSeries(name, value(0)) { s in
                var out: [Int64: Double] = [:]
                for t in s.points.keys { out[t] = timePart(name, t) }
                return out
            }
        case "PERIOD":
            try arity(1...1)
            guard case .series(let s) = try value(0) else { throw MetricsError.validation("Metrics expression: PERIOD takes one time series.") }
            return .scalar(Double(s.period))
        case "TIME_SERIES":
            try arity(1...1)
            guard case .scalar(let x) = try value(0) else { throw MetricsError.validation("Metrics expression: TIME_SERIES takes a number.") }
            return .series(constant(x, context))
        case "FILL":
            try arity(2...2)
            let filler: Filler
            switch args[1] {
            case .keyword("REPEAT"): filler = .repeat
            case .keyword("LINEAR"): filler = .linear
            default: filler = .value(try value(1))
            }
            return try perSeries(name, value(0)) { s in fill(s, filler, context) }
        case "IF":
            try arity(2...3)
            let condition = try value(0)
            let yes = try value(1)
            let no = args.count == 3 ? try value(2) : nil
            switch condition {
            case .scalar(let c): return c != 0 ? yes : (no ?? .scalar(.nan))
            case .series(let s): return .series(s.with(choose(s, yes, no)))
            case .array(let items): return .array(items.map { $0.with(choose($0, yes, no)) })
            }
        default:
            throw MetricsError.validation("Metrics expression: the function \(name) is not supported by Swiftlet.")
        }
    }

    /// A reduction over one series' points (a number), or across an array's series at each timestamp (a series).
    static func reduce(_ name: String, _ value: MetricMathValue) -> MetricMathValue {
        func of(_ values: [Double]) -> Double {
            guard !values.isEmpty else { return .nan }
            switch name {
            case "SUM": return values.reduce(0, +)
            case "AVG": return values.reduce(0, +) / Double(values.count)
            case "MIN": return values.min()!
            case "MAX": return values.max()!
            case "DATAPOINT_COUNT": return Double(values.count)
            default:
                let mean = values.reduce(0, +) / Double(values.count)
                return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
            }
        }
        switch value {
        case .scalar(let x): return .scalar(name == "DATAPOINT_COUNT" ? 1 : name == "STDDEV" ? 0 : x)
        case .series(let s): return .scalar(of(Array(s.points.values)))
        case .array(let items):
            var byTime: [Int64: [Double]] = [:]
            for s in items { for (t, v) in s.points { byTime[t, default: []].append(v) } }
            return .series(TimeSeries(label: "", period: items.map(\.period).min() ?? 60, points: byTime.mapValues(of)))
        }
    }

    static func perSeries(_ name: String, _ value: MetricMathValue, _ f: (TimeSeries) -> [Int64: Double]) throws(MetricsError) -> MetricMathValue {
        switch value {
        case .series(let s): return .series(s.with(f(s)))
        case .array(let items): return .array(items.map { $0.with(f($0)) })
        case .scalar: throw MetricsError.validation("Metrics expression: \(name) takes a time series.")
        }
    }

    static func constant(_ x: Double, _ context: MetricMathContext) -> TimeSeries {
        var points: [Int64: Double] = [:]
        if x.isFinite { for t in context.grid(period: context.period) { points[t] = x } }
        return TimeSeries(label: "", period: context.period, points: points)
    }

    enum Filler {
        case value(MetricMathValue)
        case `repeat`
        case linear
    }

    /// Values for the periods of the range the series has none for: a number (or another series' value then), the
    /// last value before (REPEAT), or the line between the values around (LINEAR); gaps at the ends stay for both.
    static func fill(_ s: TimeSeries, _ filler: Filler, _ context: MetricMathContext) -> [Int64: Double] {
        var out = s.points
        let grid = context.grid(period: s.period)
        let known = s.times
        for t in grid where out[t] == nil {
            switch filler {
            case .value(.scalar(let x)): if x.isFinite { out[t] = x }
            case .value(.series(let other)): out[t] = other.points[t]
            case .value(.array): break
            case .repeat:
                if let before = known.last(where: { $0 < t }) { out[t] = s.points[before] }
            case .linear:
                if let a = known.last(where: { $0 < t }), let b = known.first(where: { $0 > t }) {
                    let va = s.points[a]!, vb = s.points[b]!
                    out[t] = va + (vb - va) * Double(t - a) / Double(b - a)
                }
            }
        }
        return out
    }

    /// For each point of the condition: the first value where it is not 0, else the second (left out when there is
    /// none, or when the chosen series has no point then).
    static func choose(_ condition: TimeSeries, _ yes: MetricMathValue, _ no: MetricMathValue?) -> [Int64: Double] {
        func at(_ v: MetricMathValue?, _ t: Int64) -> Double? {
            switch v {
            case .scalar(let x)?: x.isFinite ? x : nil
            case .series(let s)?: s.points[t]
            default: nil
            }
        }
        var out: [Int64: Double] = [:]
        for (t, c) in condition.points { out[t] = c != 0 ? at(yes, t) : at(no, t) }
        return out
    }

    /// A part of a timestamp in UTC: EPOCH seconds, MINUTE, HOUR, DAY (of the week, Monday 1 … Sunday 7), DATE (of
    /// the month), MONTH, YEAR.
    static func timePart(_ name: String, _ t: Int64) -> Double {
        var time = time_t(t)
        var parts = tm()
        gmtime_r(&time, &parts)
        switch name {
        case "EPOCH": return Double(t)
        case "MINUTE": return Double(parts.tm_min)
        case "HOUR": return Double(parts.tm_hour)
        case "DAY": return Double(parts.tm_wday == 0 ? 7 : parts.tm_wday)
        case "DATE": return Double(parts.tm_mday)
        case "MONTH": return Double(parts.tm_mon + 1)
        default: return Double(parts.tm_year + 1900)
        }
    }
}
