import EventPatterns
import Testing

@Suite struct EventPatternTests {
    func event(_ json: String) -> EventJSON { EventJSON(parsing: Array(json.utf8))! }

    func matches(_ pattern: String, _ json: String) throws -> Bool {
        try EventPattern(parsing: pattern).matches(event(json))
    }

    @Test func exactValuesNestedFieldsAndArrays() throws {
        #expect(try matches(#"{"body": {"kind": ["order"]}}"#, #"{"body": {"kind": "order"}}"#))
        #expect(try !matches(#"{"body": {"kind": ["order"]}}"#, #"{"body": {"kind": "refund"}}"#))
        #expect(try matches(#"{"a": {"b": {"c": [1]}}}"#, #"{"a": {"b": {"c": 1}}}"#))
        // Exact numbers compare as written; numeric comparisons by value.
        #expect(try !matches(#"{"n": [300]}"#, #"{"n": 300.0}"#))
        #expect(try !matches(#"{"n": [300]}"#, #"{"n": "300"}"#))
        #expect(try matches(#"{"n": [{"numeric": ["=", 300]}]}"#, #"{"n": 3.0e2}"#))
        #expect(try matches(#"{"n": [null]}"#, #"{"n": null}"#))
        #expect(try matches(#"{"s": [""]}"#, #"{"s": ""}"#))
        // An array in the event matches when one element does.
        #expect(try matches(#"{"tags": ["red"]}"#, #"{"tags": ["blue", "red"]}"#))
        #expect(try matches(#"{"items": {"sku": ["x"]}}"#, #"{"items": [{"sku": "y"}, {"sku": "x"}]}"#))
        // Every field must match; a missing field does not.
        #expect(try !matches(#"{"a": ["1"], "b": ["2"]}"#, #"{"a": "1"}"#))
        // A list of values inside a pattern is a choice; a value is not an object.
        #expect(try matches(#"{"a": ["x", "y"]}"#, #"{"a": "y"}"#))
        #expect(try !matches(#"{"a": ["x"]}"#, #"{"a": {"x": 1}}"#))
    }

    @Test func comparisons() throws {
        #expect(try matches(#"{"a": [{"prefix": "us-"}]}"#, #"{"a": "us-east-1"}"#))
        #expect(try !matches(#"{"a": [{"prefix": "us-"}]}"#, #"{"a": "eu-west-1"}"#))
        #expect(try matches(#"{"f": [{"suffix": ".png"}]}"#, #"{"f": "a.png"}"#))
        #expect(try matches(#"{"c": [{"equals-ignore-case": "ReD"}]}"#, #"{"c": "red"}"#))
        // Text compares by code points: a precomposed é is not e with a combining accent.
        #expect(try !matches(#"{"c": ["\u00e9"]}"#, #"{"c": "e\u0301"}"#))
        #expect(try matches(#"{"c": [{"prefix": "e"}]}"#, #"{"c": "e\u0301t\u00e9"}"#))
        #expect(try matches(#"{"s": [{"anything-but": ["a", "b"]}]}"#, #"{"s": "c"}"#))
        #expect(try !matches(#"{"s": [{"anything-but": ["a", "b"]}]}"#, #"{"s": "a"}"#))
        #expect(try !matches(#"{"s": [{"anything-but": "a"}]}"#, #"{"other": 1}"#))
        #expect(try matches(#"{"s": [{"anything-but": {"prefix": "tmp"}}]}"#, #"{"s": "keep"}"#))
        #expect(try !matches(#"{"s": [{"anything-but": {"prefix": "tmp"}}]}"#, #"{"s": "tmp1"}"#))
        #expect(try matches(#"{"p": [{"numeric": [">", 0, "<=", 5]}]}"#, #"{"p": 5}"#))
        #expect(try !matches(#"{"p": [{"numeric": [">", 0, "<=", 5]}]}"#, #"{"p": 0}"#))
        #expect(try !matches(#"{"p": [{"numeric": [">", 0]}]}"#, #"{"p": "7"}"#))
        #expect(try matches(#"{"p": [{"numeric": ["=", 10]}]}"#, #"{"p": 10.0}"#))
    }

    @Test func existsAndOr() throws {
        // Only leaves exist for `exists`.
        #expect(try !matches(#"{"a": [{"exists": true}]}"#, #"{"a": {"deep": 1}}"#))
        #expect(try matches(#"{"a": [{"exists": true}]}"#, #"{"a": [1, 2]}"#))
        #expect(try !matches(#"{"a": [{"exists": true}]}"#, #"{"b": 1}"#))
        #expect(try matches(#"{"a": [{"exists": false}]}"#, #"{"b": 1}"#))
        #expect(try !matches(#"{"a": [{"exists": false}]}"#, #"{"a": 1}"#))
        // A field under a missing or scalar parent is absent; an array without leaves is absent.
        #expect(try matches(#"{"error": {"code": [{"exists": false}]}}"#, #"{"ok": true}"#))
        #expect(try matches(#"{"error": {"code": [{"exists": false}]}}"#, #"{"error": "text"}"#))
        #expect(try !matches(#"{"error": {"code": [{"exists": true}]}}"#, #"{"ok": true}"#))
        #expect(try !matches(#"{"a": [{"exists": true}]}"#, #"{"a": []}"#))
        #expect(try matches(#"{"a": [{"exists": false}]}"#, #"{"a": [{"b": 1}]}"#))
        let or = #"{"$or": [{"a": ["1"]}, {"b": [{"numeric": [">", 10]}]}]}"#
        #expect(try matches(or, #"{"a": "1"}"#))
        #expect(try matches(or, #"{"b": 11}"#))
        #expect(try !matches(or, #"{"a": "2", "b": 3}"#))
    }

    @Test func malformedPatternsAreRefused() {
        for bad in ["not json", "[1]", "{}", #"{"a": "x"}"#, #"{"a": []}"#, #"{"a": [{"bogus": 1}]}"#, #"{"a": [{"prefix": 1}]}"#,
                    #"{"a": [{"numeric": [">", "x"]}]}"#, #"{"a": [{"numeric": ["<", 5, ">", 1]}]}"#, #"{"$or": [{"a": ["1"]}]}"#,
                    #"{"a": [{"exists": "yes"}]}"#, #"{"a": [["nested"]]}"#] {
            #expect(throws: EventPatternError.self, "\(bad)") { _ = try EventPattern(parsing: bad) }
        }
    }

    @Test func theReaderTakesJSONAsWrittenAndNothingElse() {
        #expect(EventJSON(parsing: Array(#"{"s": "a\u00e9\ud83d\ude00\n", "n": -1.5e3, "l": [true, false, null]}"#.utf8))
                == .object(["s": .string("aé😀\n"), "n": .number("-1.5e3"), "l": .array([.bool(true), .bool(false), .null])]))
        for bad in ["", "{", "[1,]", "{\"a\":}", "01", "1.", "+1", "\"\\x\"", "\"\\ud83d\"", "nul", "{} {}", "\"\\u+041\"",
                    String(repeating: "[", count: 200) + String(repeating: "]", count: 200)] {
            #expect(EventJSON(parsing: Array(bad.utf8)) == nil, "\(bad)")
        }
    }
}
