import EventPatterns
import Testing

/// The examples of AWS's "Content filtering in Amazon EventBridge event patterns" page (and "Comparison operators"),
/// each as a pattern, an event it matches and one it does not.
@Suite struct ContentFilteringTests {
    func matches(_ pattern: String, _ json: String) throws -> Bool {
        try EventPattern(parsing: pattern).matches(EventJSON(parsing: Array(json.utf8))!)
    }

    func refused(_ pattern: String) -> String? {
        do {
            _ = try EventPattern(parsing: pattern)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func prefixAndSuffixWithAndWithoutCase() throws {
        #expect(try matches(#"{"time": [{"prefix": "2017-10-02"}]}"#, #"{"time": "2017-10-02T18:43:48Z"}"#))
        #expect(try !matches(#"{"time": [{"prefix": "2017-10-02"}]}"#, #"{"time": "2017-10-03T18:43:48Z"}"#))
        let folded = #"{"source": [{"prefix": {"equals-ignore-case": "EventBridge"}}]}"#
        #expect(try matches(folded, #"{"source": "EVENTBRIDGE.example"}"#))
        #expect(try matches(folded, #"{"source": "eventbridge"}"#))
        #expect(try !matches(folded, #"{"source": "event-bridge"}"#))
        #expect(try matches(#"{"FileName": [{"suffix": ".png"}]}"#, #"{"FileName": "image.png"}"#))
        #expect(try !matches(#"{"FileName": [{"suffix": ".png"}]}"#, #"{"FileName": "image.PNG"}"#))
        #expect(try matches(#"{"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}"#, #"{"FileName": "image.PNG"}"#))
        #expect(try !matches(#"{"FileName": [{"suffix": ".png"}]}"#, #"{"FileName": 5}"#))
    }

    @Test func anythingBut() throws {
        #expect(try matches(#"{"detail": {"state": [{"anything-but": "initializing"}]}}"#, #"{"detail": {"state": "stopped"}}"#))
        #expect(try !matches(#"{"detail": {"state": [{"anything-but": "initializing"}]}}"#, #"{"detail": {"state": "initializing"}}"#))
        #expect(try matches(#"{"detail": {"x-limit": [{"anything-but": 123}]}}"#, #"{"detail": {"x-limit": 456}}"#))
        #expect(try !matches(#"{"detail": {"x-limit": [{"anything-but": 123}]}}"#, #"{"detail": {"x-limit": 123}}"#))
        let list = #"{"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}"#
        #expect(try matches(list, #"{"detail": {"state": "running"}}"#))
        #expect(try !matches(list, #"{"detail": {"state": "overloaded"}}"#))
        #expect(try matches(#"{"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}}"#, #"{"detail": {"x-limit": 150}}"#))
        let prefix = #"{"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}"#
        #expect(try matches(prefix, #"{"detail": {"state": "running"}}"#))
        #expect(try !matches(prefix, #"{"detail": {"state": "initializing"}}"#))
        let suffix = #"{"detail": {"FileName": [{"anything-but": {"suffix": ".txt"}}]}}"#
        #expect(try matches(suffix, #"{"detail": {"FileName": "a.png"}}"#))
        #expect(try !matches(suffix, #"{"detail": {"FileName": "notes.txt"}}"#))
        let folded = #"{"detail": {"state": [{"anything-but": {"equals-ignore-case": ["Stopped", "OverLoaded"]}}]}}"#
        #expect(try matches(folded, #"{"detail": {"state": "running"}}"#))
        #expect(try !matches(folded, #"{"detail": {"state": "STOPPED"}}"#))
        let wildcard = #"{"detail": {"FilePath": [{"anything-but": {"wildcard": "*/dir/*"}}]}}"#
        #expect(try matches(wildcard, #"{"detail": {"FilePath": "/lib/a.so"}}"#))
        #expect(try !matches(wildcard, #"{"detail": {"FilePath": "/home/dir/a.txt"}}"#))
        #expect(try matches(#"{"p": [{"anything-but": {"wildcard": ["a*", "*b"]}}]}"#, #"{"p": "cc"}"#))
        #expect(try !matches(#"{"p": [{"anything-but": {"wildcard": ["a*", "*b"]}}]}"#, #"{"p": "cb"}"#))
    }

    @Test func numericRanges() throws {
        let pattern = #"""
            {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}], "d-count": [{"numeric": ["<", 10]}],
                        "x-limit": [{"numeric": ["=", 3.018e2]}]}}
            """#
        #expect(try matches(pattern, #"{"detail": {"c-count": 5, "d-count": 7, "x-limit": 301.8}}"#))
        #expect(try !matches(pattern, #"{"detail": {"c-count": 6, "d-count": 7, "x-limit": 301.8}}"#))
        #expect(try !matches(pattern, #"{"detail": {"c-count": 5, "d-count": 7, "x-limit": 301.81}}"#))
        #expect(refused(#"{"a": [{"numeric": [">", 6e9]}]}"#) != nil)
        #expect(refused(#"{"a": [{"numeric": [">", 5, "<", 1]}]}"#) != nil)
    }

    @Test func ipAddresses() throws {
        #expect(try matches(#"{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}"#, #"{"detail": {"sourceIPAddress": "10.0.0.255"}}"#))
        #expect(try !matches(#"{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}"#, #"{"detail": {"sourceIPAddress": "10.0.1.1"}}"#))
        let v6 = #"{"detail": {"sourceIPAddress": [{"cidr": "bcde:f8e8:7ee5:bc6::/64"}]}}"#
        #expect(try matches(v6, #"{"detail": {"sourceIPAddress": "bcde:f8e8:7ee5:bc6:1::ff"}}"#))
        #expect(try !matches(v6, #"{"detail": {"sourceIPAddress": "bcde:f8e8:7ee5:bc7::1"}}"#))
        #expect(try !matches(v6, #"{"detail": {"sourceIPAddress": "10.0.0.1"}}"#))
        #expect(try matches(#"{"ip": [{"cidr": "::ffff:0:0/96"}]}"#, #"{"ip": "::ffff:192.0.2.1"}"#))
        #expect(refused(#"{"ip": [{"cidr": "10.0.0.0"}]}"#) != nil)
        #expect(refused(#"{"ip": [{"cidr": "10.0.0.0/33"}]}"#) != nil)
        #expect(refused(#"{"ip": [{"cidr": "300.0.0.0/8"}]}"#) != nil)
    }

    @Test func existence() throws {
        #expect(try matches(#"{"detail": {"state": [{"exists": true}]}}"#, #"{"detail": {"state": "running"}}"#))
        #expect(try !matches(#"{"detail": {"state": [{"exists": true}]}}"#, #"{"detail": {"other": 1}}"#))
        #expect(try matches(#"{"detail": {"c-count": [{"exists": false}]}}"#, #"{"detail": {"d-count": 1}}"#))
        #expect(try !matches(#"{"detail": {"c-count": [{"exists": false}]}}"#, #"{"detail": {"c-count": 1}}"#))
    }

    @Test func equalsIgnoreCaseNullAndEmpty() throws {
        #expect(try matches(#"{"detail-type": [{"equals-ignore-case": "ec2 instance state-change notification"}]}"#,
                            #"{"detail-type": "EC2 Instance State-change Notification"}"#))
        #expect(try matches(#"{"detail": {"responseElements": [null]}}"#, #"{"detail": {"responseElements": null}}"#))
        #expect(try !matches(#"{"detail": {"responseElements": [null]}}"#, #"{"detail": {"other": 1}}"#))
        #expect(try matches(#"{"detail": {"eventVersion": [""]}}"#, #"{"detail": {"eventVersion": ""}}"#))
    }

    @Test func wildcards() throws {
        let arn = #"{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}"#
        #expect(try matches(arn, #"{"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}"#))
        #expect(try !matches(arn, #"{"EventBusArn": "arn:aws:events:us-west-2:123456789012:event-bus/default"}"#))
        #expect(try matches(#"{"f": [{"wildcard": "dir/*.png"}]}"#, #"{"f": "dir/sub/dir/a.png"}"#))
        #expect(try !matches(#"{"f": [{"wildcard": "dir/*.png"}]}"#, #"{"f": "dir/a.jpg"}"#))
        #expect(try matches(#"{"f": [{"wildcard": "*"}]}"#, #"{"f": ""}"#))
        #expect(try matches(#"{"f": [{"wildcard": "a*b*c"}]}"#, #"{"f": "abbc"}"#))
        #expect(try !matches(#"{"f": [{"wildcard": "a*b*c"}]}"#, #"{"f": "acb"}"#))
        #expect(try !matches(#"{"f": [{"wildcard": "ab*ba"}]}"#, #"{"f": "aba"}"#))
        // An escaped star is literal.
        #expect(try matches(#"{"f": [{"wildcard": "a\\*b"}]}"#, #"{"f": "a*b"}"#))
        #expect(try !matches(#"{"f": [{"wildcard": "a\\*b"}]}"#, #"{"f": "axb"}"#))
        #expect(refused(#"{"f": [{"wildcard": "a**b"}]}"#)?.contains("Consecutive wildcard") == true)
    }

    @Test func orAcrossFieldsAndArrays() throws {
        let or = #"""
            {"source": ["aws.ec2"], "$or": [{"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}},
                                            {"detail": {"d-count": [{"numeric": ["<", 10]}]}},
                                            {"detail": {"x-limit": [{"numeric": ["=", 3.018e2]}]}}]}
            """#
        #expect(try matches(or, #"{"source": "aws.ec2", "detail": {"d-count": 3}}"#))
        #expect(try !matches(or, #"{"source": "aws.s3", "detail": {"d-count": 3}}"#))
        #expect(try !matches(or, #"{"source": "aws.ec2", "detail": {"c-count": 9, "d-count": 30}}"#))
        let resources = #"{"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f"]}"#
        #expect(try matches(resources, #"{"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:other"]}"#))
        #expect(try !matches(resources, #"{"resources": ["arn:aws:other"]}"#))
    }

    @Test func indexableExactStrings() throws {
        #expect(try EventPattern(parsing: #"{"source": ["a", "b"], "detail": {"x": [1]}}"#).exactStrings(at: "source") == ["a", "b"])
        #expect(try EventPattern(parsing: #"{"source": ["a", {"prefix": "b"}]}"#).exactStrings(at: "source") == nil)
        #expect(try EventPattern(parsing: #"{"detail": {"x": [1]}}"#).exactStrings(at: "source") == nil)
    }

    @Test func malformedAnswersNameTheProblem() {
        #expect(refused(#"{"source": "x"}"#) == #""source" must be an object or an array"#)
        #expect(refused(#"{"a": [{"bogus": 1}]}"#)?.contains("Unrecognized match type bogus") == true)
        #expect(refused(#"{"a": [{"prefix": {"wildcard": "x"}}]}"#) != nil)
        #expect(refused(#"{"a": [{"anything-but": {"cidr": "10.0.0.0/8"}}]}"#) != nil)
        #expect(refused(#"{"a": [{"anything-but": ["a", 1]}]}"#) != nil)
        #expect(refused(#"{"a": [{"cidr": 5}]}"#) != nil)
    }
}
