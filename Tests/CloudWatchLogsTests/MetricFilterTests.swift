@testable import CloudWatchLogs
import Testing

@Suite struct MetricFilterTests {
    func filter(_ pattern: String, value: String, dimensions: [String: String]? = nil, defaultValue: Double? = nil) throws -> CompiledMetricFilter {
        try CompiledMetricFilter(MetricFilter(filterName: "f", filterPattern: pattern, metricTransformations: [
            MetricTransformation(metricName: "M", metricNamespace: "N", metricValue: value, defaultValue: defaultValue,
                                 dimensions: dimensions, unit: nil)], creationTime: 0, logGroupName: "g"))
    }

    @Test func valuesComeFromConstantsJSONFieldsAndNamedFields() throws {
        #expect(try filter("ERROR", value: "1").extract("an ERROR here")?.value == 1)
        #expect(try filter("ERROR", value: "1").extract("all fine") == nil)
        let json = try filter(#"{ $.latency > 10 }"#, value: "$.latency", dimensions: ["Route": "$.req.route"])
        let got = try #require(json.extract(#"{"latency": 25.5, "req": {"route": "/a"}}"#))
        #expect(got.value == 25.5 && got.dimensions == ["Route": "/a"])
        #expect(json.extract(#"{"latency": 5, "req": {"route": "/a"}}"#) == nil)
        // A dimension that is missing drops the value (as CloudWatch does).
        #expect(json.extract(#"{"latency": 25}"#) == nil)
        let spaced = try filter("[ip, user, status = 5*, bytes]", value: "$bytes", dimensions: ["Status": "$status"])
        let line = try #require(spaced.extract("10.0.0.1 bob 503 1200"))
        #expect(line.value == 1200 && line.dimensions == ["Status": "503"])
        #expect(spaced.extract("10.0.0.1 bob 200 1200") == nil)
    }

    @Test func refusedValueExpressions() {
        #expect(throws: LogsError.self) { try filter("ERROR", value: "$.x") }
        #expect(throws: LogsError.self) { try filter("[a, b]", value: "$c") }
        #expect(throws: LogsError.self) { try filter(#"{ $.a = 1 }"#, value: "$a") }
        #expect(throws: LogsError.self) { try filter(#"{ $.a = 1 }"#, value: "1", dimensions: ["D": "constant"]) }
    }
}

@Suite struct RegexTermTests {
    @Test func regularExpressionTerms() throws {
        let p = try FilterPattern(parsing: "%ERROR|WARN% -DEBUG")
        #expect(p.matches("a WARN here"))
        #expect(p.matches("ERROR!"))
        #expect(!p.matches("WARN DEBUG"))
        #expect(!p.matches("all fine"))
        #expect(try FilterPattern(parsing: "%code=4[0-9]{2}%").matches("status code=404 x"))
        #expect(try !FilterPattern(parsing: "%code=4[0-9]{2}%").matches("status code=500"))
        // Combined with a plain term, the plain term still narrows an index search.
        #expect(try FilterPattern(parsing: "%ab+c% timeout").requiredTexts == [["timeout"]])
        #expect(try FilterPattern(parsing: "%ab+c%").requiredTexts == nil)
        #expect(throws: LogsError.self) { try FilterPattern(parsing: "%(unclosed%") }
        #expect(throws: LogsError.self) { try FilterPattern(parsing: "%a% %b% %c%") }
    }
}
