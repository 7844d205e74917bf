/// A metric math expression of GetMetricData: arithmetic (`+ - * /`, unary minus, parentheses) over numbers and the
/// ids of other queries, and the functions `SUM`, `AVG`, `MIN`, `MAX` over `METRICS()` (every metric query) or a list
/// of ids. Time series combine point by point on their common timestamps; a series and a number combine pointwise.
public indirect enum MetricExpression: Sendable, Equatable {
    case number(Double)
    case reference(String)
    case negate(MetricExpression)
    case binary(Character, MetricExpression, MetricExpression)
    /// `SUM(METRICS())` (nil: every metric query) or `SUM([m1, m2])`.
    case aggregate(String, [String]?)

    public static let functions: Set<String> = ["SUM", "AVG", "MIN", "MAX"]

    /// Parses `text`; the error names what is wrong.
    public init(parsing text: String) throws(MetricsError) {
        var parser = MetricExpressionParser(Array(text))
        self = try parser.expression()
        parser.skipSpaces()
        guard parser.atEnd else { throw MetricsError.validation("Metrics expression: unexpected '\(parser.rest)' in \(text).") }
    }

    /// The ids the expression reads (`METRICS()` reads every metric query).
    public var references: Set<String> {
        switch self {
        case .number: []
        case .reference(let id): [id]
        case .negate(let e): e.references
        case .binary(_, let a, let b): a.references.union(b.references)
        case .aggregate(_, let ids): Set(ids ?? [])
        }
    }

    /// A value of an expression: a number or a time series (timestamp → value).
    public enum Value: Sendable, Equatable {
        case scalar(Double)
        case series([Int64: Double])
    }

    /// Evaluates against the series of the queries it names (`metricIds`: the ids `METRICS()` stands for).
    public func evaluate(_ series: [String: [Int64: Double]], metricIds: [String]) throws(MetricsError) -> Value {
        switch self {
        case .number(let n): return .scalar(n)
        case .reference(let id):
            guard let s = series[id] else { throw MetricsError.validation("Metrics expression: no query has the id \(id).") }
            return .series(s)
        case .negate(let e):
            switch try e.evaluate(series, metricIds: metricIds) {
            case .scalar(let v): return .scalar(-v)
            case .series(let s): return .series(s.mapValues { -$0 })
            }
        case .binary(let op, let a, let b):
            return Self.combine(op, try a.evaluate(series, metricIds: metricIds), try b.evaluate(series, metricIds: metricIds))
        case .aggregate(let function, let ids):
            var inputs: [[Int64: Double]] = []
            for id in ids ?? metricIds {
                guard let s = series[id] else { throw MetricsError.validation("Metrics expression: no query has the id \(id).") }
                inputs.append(s)
            }
            var byTime: [Int64: [Double]] = [:]
            for s in inputs { for (t, v) in s { byTime[t, default: []].append(v) } }
            return .series(byTime.mapValues { values in
                switch function {
                case "SUM": values.reduce(0, +)
                case "AVG": values.reduce(0, +) / Double(values.count)
                case "MIN": values.min() ?? 0
                default: values.max() ?? 0
                }
            })
        }
    }

    static func apply(_ op: Character, _ x: Double, _ y: Double) -> Double? {
        switch op {
        case "+": x + y
        case "-": x - y
        case "*": x * y
        default: y == 0 ? nil : x / y
        }
    }

    /// Point by point on common timestamps; a division by zero leaves the point out.
    static func combine(_ op: Character, _ a: Value, _ b: Value) -> Value {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)): return .scalar(apply(op, x, y) ?? .nan)
        case (.series(let s), .scalar(let y)): return .series(s.compactMapValues { apply(op, $0, y) })
        case (.scalar(let x), .series(let s)): return .series(s.compactMapValues { apply(op, x, $0) })
        case (.series(let s), .series(let t)):
            var out: [Int64: Double] = [:]
            for (time, x) in s { if let y = t[time], let v = apply(op, x, y) { out[time] = v } }
            return .series(out)
        }
    }
}

/// A recursive-descent reader of metric math: expression := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
/// factor := number | id | FUNC '(' (METRICS '(' ')' | '[' id, … ']') ')' | '(' expression ')' | '-' factor.
struct MetricExpressionParser {
    let chars: [Character]
    var i = 0

    init(_ chars: [Character]) { self.chars = chars }

    var atEnd: Bool { i >= chars.count }
    var rest: String { String(chars[min(i, chars.count)...]) }

    mutating func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }

    mutating func expression() throws(MetricsError) -> MetricExpression {
        try chain(["+", "-"]) { (p: inout MetricExpressionParser) throws(MetricsError) in try p.term() }
    }

    mutating func term() throws(MetricsError) -> MetricExpression {
        try chain(["*", "/"]) { (p: inout MetricExpressionParser) throws(MetricsError) in try p.factor() }
    }

    /// `operand (op operand)*`, left-associative.
    mutating func chain(_ ops: Set<Character>,
                        _ operand: (inout MetricExpressionParser) throws(MetricsError) -> MetricExpression) throws(MetricsError) -> MetricExpression {
        var left = try operand(&self)
        while true {
            skipSpaces()
            guard i < chars.count, ops.contains(chars[i]) else { return left }
            let op = chars[i]
            i += 1
            left = .binary(op, left, try operand(&self))
        }
    }

    mutating func word() -> String {
        var w = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { w.append(chars[i]); i += 1 }
        return w
    }

    mutating func expect(_ c: Character) throws(MetricsError) {
        skipSpaces()
        guard i < chars.count, chars[i] == c else { throw MetricsError.validation("Metrics expression: expected '\(c)' at '\(rest)'.") }
        i += 1
    }

    mutating func factor() throws(MetricsError) -> MetricExpression {
        skipSpaces()
        guard i < chars.count else { throw MetricsError.validation("Metrics expression: it ends where a value was expected.") }
        let c = chars[i]
        if c == "-" {
            i += 1
            return .negate(try factor())
        }
        if c == "(" {
            i += 1
            let inner = try expression()
            try expect(")")
            return inner
        }
        if c.isNumber || c == "." {
            var digits = ""
            while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "e" || chars[i] == "E" { digits.append(chars[i]); i += 1 }
            guard let n = Double(digits) else { throw MetricsError.validation("Metrics expression: '\(digits)' is not a number.") }
            return .number(n)
        }
        let name = word()
        guard !name.isEmpty else { throw MetricsError.validation("Metrics expression: unexpected '\(c)'.") }
        skipSpaces()
        if i < chars.count, chars[i] == "(" {
            let function = name.uppercased()
            guard MetricExpression.functions.contains(function) else {
                throw MetricsError.validation("Metrics expression: the function \(name) is not supported by Swiftlet (SUM, AVG, MIN, MAX are).")
            }
            i += 1
            skipSpaces()
            var ids: [String]?
            if i < chars.count, chars[i] == "[" {
                i += 1
                var list: [String] = []
                while true {
                    skipSpaces()
                    let id = word()
                    guard !id.isEmpty else { throw MetricsError.validation("Metrics expression: expected an id at '\(rest)'.") }
                    list.append(id)
                    skipSpaces()
                    if i < chars.count, chars[i] == "," { i += 1; continue }
                    try expect("]")
                    break
                }
                ids = list
            } else {
                guard word().uppercased() == "METRICS" else {
                    throw MetricsError.validation("Metrics expression: \(function) takes METRICS() or a list of ids.")
                }
                try expect("(")
                try expect(")")
            }
            try expect(")")
            return .aggregate(function, ids)
        }
        return .reference(name)
    }
}
