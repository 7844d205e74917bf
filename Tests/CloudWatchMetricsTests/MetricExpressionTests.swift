import CloudWatchMetrics
import Testing

/// Metric math as CloudWatch documents it: operators, arrays, and the functions, evaluated against fixed series.
@Suite struct MetricExpressionTests {
    let e = TimeSeries(label: "Errors", period: 60, points: [0: 1, 60: 3, 120: 0])
    let c = TimeSeries(label: "Invocations", period: 60, points: [0: 10, 60: 12, 180: 5])

    var context: MetricMathContext {
        MetricMathContext(values: ["e": .series(e), "c": .series(c)], metricIds: ["e", "c"], start: 0, end: 240, period: 60)
    }

    func value(_ text: String) throws -> MetricMathValue {
        try MetricExpression(parsing: text).evaluate(context)
    }

    func points(_ text: String) throws -> [Int64: Double]? {
        guard case .series(let s) = try value(text) else { return nil }
        return s.points
    }

    @Test func arithmeticPrecedenceAndCommonTimestamps() throws {
        #expect(try points("100 * e / c") == [0: 10, 60: 25])
        #expect(try points("e + c * 2") == [0: 21, 60: 27])
        #expect(try points("(e + c) * 2") == [0: 22, 60: 30])
        #expect(try points("-e") == [0: -1, 60: -3, 120: 0])
        #expect(try value("1 + 2 * 3") == .scalar(7))
        #expect(try value("2 ^ 3 ^ 2") == .scalar(64), "left-associative, as the other operators")
        #expect(try value("10 - 4 - 3") == .scalar(3))
        // Division by zero leaves the point out.
        #expect(try points("c / e") == [0: 10, 60: 4])
    }

    @Test func comparisonsLogicAndIf() throws {
        #expect(try points("e > 0") == [0: 1, 60: 1, 120: 0])
        #expect(try points("e >= 1 AND c < 11") == [0: 1, 60: 0])
        #expect(try points("e == 0 || c == 12") == [0: 0, 60: 1])
        #expect(try points("IF(e > 2, e, 0)") == [0: 0, 60: 3, 120: 0])
        #expect(try points("IF(e > 0, c)") == [0: 10, 60: 12], "no false value: the point is left out")
        #expect(try points("IF(e != 0, 100 * e / c, 0)") == [0: 10, 60: 25, 120: 0])
    }

    @Test func reductionsOfASeriesAreNumbersOfAnArraySeries() throws {
        #expect(try value("SUM(e)") == .scalar(4))
        #expect(try value("AVG(c)") == .scalar(9))
        #expect(try value("MAX(c) - MIN(c)") == .scalar(7))
        #expect(try value("DATAPOINT_COUNT(c)") == .scalar(3))
        #expect(try value("STDDEV(e)") == .scalar((14.0 / 9).squareRoot()))
        #expect(try points("SUM(METRICS())") == [0: 11, 60: 15, 120: 0, 180: 5])
        #expect(try points("max([e, c])") == [0: 10, 60: 12, 120: 0, 180: 5])
        #expect(try points("AVG([e])") == e.points)
        #expect(try points("e / SUM(e)") == [0: 0.25, 60: 0.75, 120: 0])
        #expect(try value("METRIC_COUNT(METRICS())") == .scalar(2))
        #expect(try value("METRIC_COUNT(METRICS('Err'))") == .scalar(1), "filtered by label")
        #expect(try value("METRIC_COUNT(METRICS(\"c\"))") == .scalar(1), "filtered by id")
        #expect(try MetricExpression(parsing: "SUM([a, b]) / c").references == ["a", "b", "c"])
    }

    @Test func changesOverTime() throws {
        #expect(try points("DIFF(c)") == [60: 2, 180: -7])
        #expect(try points("RATE(c)") == [60: 2.0 / 60, 180: -7.0 / 120])
        #expect(try points("DIFF_TIME(c)") == [60: 60, 180: 120])
        #expect(try points("RUNNING_SUM(e)") == [0: 1, 60: 4, 120: 4])
        #expect(try value("PERIOD(e)") == .scalar(60))
        #expect(try points("HOUR(e)") == [0: 0, 60: 0, 120: 0])
        #expect(try points("DAY(e)") == [0: 4, 60: 4, 120: 4], "1 January 1970 was a Thursday")
        #expect(try points("MINUTE(c)") == [0: 0, 60: 1, 180: 3])
    }

    @Test func fillAndTimeSeries() throws {
        #expect(try points("FILL(c, 0)") == [0: 10, 60: 12, 120: 0, 180: 5])
        #expect(try points("FILL(c, REPEAT)") == [0: 10, 60: 12, 120: 12, 180: 5])
        #expect(try points("FILL(c, LINEAR)") == [0: 10, 60: 12, 120: 8.5, 180: 5])
        #expect(try points("FILL(e, e)") == [0: 1, 60: 3, 120: 0], "a series fills from its own points only where it has them")
        #expect(try points("TIME_SERIES(7)") == [0: 7, 60: 7, 120: 7, 180: 7])
        #expect(try points("FILL(e, 0) + FILL(c, 0)") == [0: 11, 60: 15, 120: 0, 180: 5])
    }

    @Test func arraysSortSliceAndCombine() throws {
        guard case .array(let sorted) = try value("SORT(METRICS(), SUM, DESC)") else { Issue.record("not an array"); return }
        #expect(sorted.map(\.label) == ["Invocations", "Errors"])
        guard case .array(let top) = try value("SORT(METRICS(), MAX, ASC, 1)") else { Issue.record("not an array"); return }
        #expect(top.map(\.label) == ["Errors"])
        guard case .array(let sliced) = try value("SLICE(METRICS(), 1, 5)") else { Issue.record("not an array"); return }
        #expect(sliced.map(\.label) == ["Invocations"])
        #expect(try points("FIRST(METRICS())") == e.points)
        #expect(try points("LAST(METRICS())") == c.points)
        guard case .array(let scaled) = try value("METRICS() * 2") else { Issue.record("not an array"); return }
        #expect(scaled.map(\.points) == [[0: 2, 60: 6, 120: 0], [0: 20, 60: 24, 180: 10]])
        #expect(try value("REMOVE_EMPTY([e, IF(e > 99, e)])") == .array([e]))
        #expect(try points("ABS(-e) + CEIL(0.5) + FLOOR(0.5)") == [0: 2, 60: 4, 120: 1])
    }

    @Test func malformedExpressionsSayWhy() {
        for bad in ["e +", "SQRT(e)", "(e", "e $ c", "1..2", "", "SUM(e, c)", "[e", "METRICS(e)", "FILL(e)", "'open"] {
            #expect(throws: MetricsError.self, "\(bad)") { try value(bad) }
        }
        #expect(throws: MetricsError.self) { try value("e + nope") }
        #expect(throws: MetricsError.self) { try value("SORT(METRICS(), MEDIAN, ASC)") }
        #expect(throws: MetricsError.self) { try value("[1, 2]") }
        #expect(throws: MetricsError.self) { try value("REPEAT") }
    }
}
