import CloudWatchLogs
import Testing

/// AWS's documented filter pattern examples ("Filter pattern syntax for metric filters, subscription filters, filter
/// log events"), one table per pattern kind.
@Suite struct FilterPatternTests {
    func matches(_ pattern: String, _ message: String) throws -> Bool {
        try FilterPattern(parsing: pattern).matches(message)
    }

    let unstructured = [
        "[ERROR 400] BAD REQUEST",
        "[ERROR 401] UNAUTHORIZED REQUEST",
        "[ERROR 419] MISSING ARGUMENTS",
        "[ERROR 420] INVALID ARGUMENTS",
        "[INFO] INTERNAL SERVER ERROR recovered",
    ]

    func matching(_ pattern: String) throws -> [Int] {
        let compiled = try FilterPattern(parsing: pattern)
        return unstructured.indices.filter { compiled.matches(unstructured[$0]) }
    }

    @Test func termsPhrasesOrAndExclusion() throws {
        #expect(try matching("") == [0, 1, 2, 3, 4])
        #expect(try matching("   ") == [0, 1, 2, 3, 4])
        #expect(try matching("ERROR") == [0, 1, 2, 3, 4])
        #expect(try matching("ERROR ARGUMENTS") == [2, 3])
        #expect(try matching("?ARGUMENTS ?UNAUTHORIZED") == [1, 2, 3])
        #expect(try matching("ERROR -ARGUMENTS") == [0, 1, 4])
        #expect(try matching("\"INTERNAL SERVER ERROR\"") == [4])
        #expect(try matching("\"ERROR 4\" -\"419\"") == [0, 1, 3])
        // Case-sensitive; a term matches anywhere in the message.
        #expect(try matching("error") == [])
        #expect(try matching("AUTHORIZED") == [1])
    }

    let trail = """
        {"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", "arrayKey": ["value", "another value"],
         "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}], "SomeObject": null,
         "ThisFlag": true, "ThatFlag": false, "latency": 550, "bandwidth": 7.5e1}
        """

    @Test func jsonSelectorsAndComparisons() throws {
        #expect(try matches(#"{ $.eventType = "UpdateTrail" }"#, trail))
        #expect(try !matches(#"{ $.eventType = "updatetrail" }"#, trail))
        #expect(try matches(#"{ $.sourceIPAddress != 123.123.* }"#, trail))
        #expect(try !matches(#"{ $.sourceIPAddress != 111.111.* }"#, trail))
        #expect(try matches(#"{ $.eventType = "Update*" }"#, trail))
        #expect(try matches(#"{ $.eventType = *Trail }"#, trail))
        #expect(try matches(#"{ $.arrayKey[0] = "value" }"#, trail))
        #expect(try matches(#"{ $.arrayKey[1] = "another value" }"#, trail))
        #expect(try !matches(#"{ $.arrayKey[2] = "value" }"#, trail))
        #expect(try matches(#"{ $.objectList[1].id = 2 }"#, trail))
        #expect(try matches(#"{ $.objectList[0].name = "a" }"#, trail))
        #expect(try matches(#"{ $.SomeObject IS NULL }"#, trail))
        #expect(try !matches(#"{ $.eventType IS NULL }"#, trail))
        #expect(try matches(#"{ $.SomeOtherObject NOT EXISTS }"#, trail))
        #expect(try !matches(#"{ $.SomeObject NOT EXISTS }"#, trail))
        #expect(try matches(#"{ $.ThisFlag IS TRUE }"#, trail))
        #expect(try matches(#"{ $.ThatFlag IS FALSE }"#, trail))
        #expect(try !matches(#"{ $.ThatFlag IS TRUE }"#, trail))
        #expect(try matches(#"{ $.latency > 500 }"#, trail))
        #expect(try matches(#"{ $.latency >= 550 && $.latency <= 550 }"#, trail))
        #expect(try !matches(#"{ $.latency < 500 }"#, trail))
        #expect(try matches(#"{ $.bandwidth = 75 }"#, trail))
        #expect(try matches(#"{ $.bandwidth > 7.4E1 }"#, trail))
        // A comparison on a field that is not a number never matches.
        #expect(try !matches(#"{ $.eventType > 5 }"#, trail))
    }

    let users = """
        {"user": {"id": 1, "email": "John.Stiles@example.com"},
         "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}],
         "actions": ["GET", "PUT", "DELETE"], "coordinates": [[0, 1], [2, 3]]}
        """

    @Test func compoundJSONConditions() throws {
        #expect(try matches(#"{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }"#, users))
        #expect(try !matches(#"{ $.user.id = 2 && $.users[0].email = "nonmatch" }"#, users))
        #expect(try matches(#"{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }"#, users))
        #expect(try matches(#"{ ($.user.email = "nonmatch" || $.coordinates[0][1] = 1) && $.actions[2] = "DELETE" }"#, users))
        #expect(try !matches(#"{ ($.user.email = "nonmatch" || $.coordinates[0][1] = 1) && $.actions[2] = "nonmatch" }"#, users))
        #expect(try matches(#"{ $.coordinates[1][0] = 2 }"#, users))
        // JSON patterns never match events that are not JSON.
        #expect(try !matches(#"{ $.user.id = 1 }"#, "user.id = 1"))
        #expect(try !matches(#"{ $.user.id NOT EXISTS }"#, "plain text"))
    }

    let apache = #"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534"#

    @Test func spaceDelimitedFields() throws {
        #expect(try matches("[ip, user, username, timestamp, request, status_code, bytes]", apache))
        #expect(try !matches("[ip, user, username, timestamp, request, status_code]", apache))
        #expect(try matches("[ip, user, username, timestamp, request, status_code = 200, bytes]", apache))
        #expect(try !matches("[ip, user, username, timestamp, request, status_code = 4*, bytes]", apache))
        #expect(try matches("[ip, user, ..., status_code = 2*, bytes > 1000]", apache))
        #expect(try !matches("[..., status_code = 2*, bytes > 2000]", apache))
        #expect(try matches("[ip = 127.0.0.*, ...]", apache))
        #expect(try matches("[..., request = *gif*, status_code, bytes]", apache))
        #expect(try matches("[ip, user, username = frank, ...]", apache))
        #expect(try matches("[..., status_code = 404 || status_code = 200, bytes]", apache))
        #expect(try !matches("[..., status_code >= 400 && status_code < 500, bytes]", apache))
        #expect(try matches("[..., status_code != 404, bytes]", apache))
        #expect(try matches("[...]", apache))
    }

    @Test func invalidPatternsAreRefused() {
        for pattern in [#"{ $.a = }"#, #"{ $.a = "x" "#, "{ a = 1 }", #"{ $.a > "x" }"#, "[a, b", "[]", "[a = ]", #""unterminated"#,
                        "{ $.a IS MAYBE }", "{ $.a NOT THERE }", "[a > x]"] {
            #expect(throws: LogsError.self, "\(pattern)") { try FilterPattern(parsing: pattern) }
        }
    }

    @Test func requiredTextsNarrowOnlyWhereSound() throws {
        #expect(try FilterPattern(parsing: "ERROR Exception").requiredTexts == [["ERROR", "Exception"]])
        #expect(try FilterPattern(parsing: "?ERROR ?WARN").requiredTexts == [["ERROR"], ["WARN"]])
        #expect(try FilterPattern(parsing: "-DEBUG").requiredTexts == nil)
        #expect(try FilterPattern(parsing: #"{ $.level = "ERROR" && $.n > 5 }"#).requiredTexts == [["ERROR"]])
        #expect(try FilterPattern(parsing: #"{ $.level = "ERR*" || $.n > 5 }"#).requiredTexts == nil)
        #expect(try FilterPattern(parsing: #"{ $.path = "/a/b" }"#).requiredTexts == nil)
        #expect(try FilterPattern(parsing: "[a, b = 5*]").requiredTexts == nil)
    }
}
