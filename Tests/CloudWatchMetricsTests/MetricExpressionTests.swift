import CloudWatchMetrics
import Testing

@Suite struct MetricExpressionTests {
    let series: [String: [Int64: Double]] = ["e": [0: 1, 60: 3, 120: 0], "c": [0: 10, 60: 12, 180: 5]]

    func value(_ text: String) throws -> MetricExpression.Value {
        try MetricExpression(parsing: text).evaluate(series, metricIds: ["e", "c"])
    }

    @Test func arithmeticPrecedenceAndCommonTimestamps() throws {
        #expect(try value("100 * e / c") == .series([0: 10, 60: 25]))
        #expect(try value("e + c * 2") == .series([0: 21, 60: 27]))
        #expect(try value("(e + c) * 2") == .series([0: 22, 60: 30]))
        #expect(try value("-e") == .series([0: -1, 60: -3, 120: 0]))
        #expect(try value("1 + 2 * 3") == .scalar(7))
        // Division by zero leaves the point out.
        #expect(try value("c / e") == .series([0: 10, 60: 4]))
    }

    @Test func aggregatesOverMetricsOrAList() throws {
        #expect(try value("SUM(METRICS())") == .series([0: 11, 60: 15, 120: 0, 180: 5]))
        #expect(try value("max([e, c])") == .series([0: 10, 60: 12, 120: 0, 180: 5]))
        #expect(try value("AVG([e])") == .series(series["e"]!))
        #expect(try MetricExpression(parsing: "SUM([a, b]) / c").references == ["a", "b", "c"])
    }

    @Test func malformedExpressionsSayWhy() {
        for bad in ["e +", "SQRT(e)", "SUM(e)", "(e", "e $ c", "1..2", ""] {
            #expect(throws: MetricsError.self) { try MetricExpression(parsing: bad) }
        }
        #expect(throws: MetricsError.self) { try value("e + nope") }
    }
}
