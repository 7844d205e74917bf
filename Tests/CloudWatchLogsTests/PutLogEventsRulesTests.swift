import CloudWatchLogs
import Testing

@Suite struct PutLogEventsRulesTests {
    let now: Int64 = 1_700_000_000_000
    let day: Int64 = 86_400_000

    func events(_ timestamps: [Int64]) -> [IncomingLogEvent] {
        timestamps.map { IncomingLogEvent(timestamp: $0, message: "m") }
    }

    @Test func tooOldTooNewAndExpiredAreReportedByIndex() throws {
        let batch = events([now - 15 * day, now - 14 * day - 1, now - day, now, now + 2 * 3_600_000, now + 2 * 3_600_000 + 1, now + 3 * 3_600_000])
        // A span over 24 hours is refused whole.
        #expect(throws: LogsError.self) { try PutLogEventsRules.check(batch, now: now, retentionDays: nil) }
        let old = try PutLogEventsRules.check(events([now - 14 * day - 5, now - 14 * day - 1, now - 14 * day + 10, now - 14 * day + 20]),
                                              now: now, retentionDays: nil)
        #expect(old.rejected == RejectedEvents(tooOldEndIndex: 1))
        #expect(old.accepted.map(\.timestamp) == [now - 14 * day + 10, now - 14 * day + 20])
        let new = try PutLogEventsRules.check(events([now, now + 2 * 3_600_000, now + 2 * 3_600_000 + 1, now + 3 * 3_600_000]), now: now, retentionDays: nil)
        #expect(new.rejected == RejectedEvents(tooNewStartIndex: 2))
        #expect(new.accepted.count == 2)
        let expired = try PutLogEventsRules.check(events([now - day - 100, now - day - 1, now - day + 1]), now: now, retentionDays: 1)
        #expect(expired.rejected == RejectedEvents(expiredEndIndex: 1))
        #expect(expired.accepted.map(\.timestamp) == [now - day + 1])
    }

    @Test func batchLimits() throws {
        #expect(throws: LogsError.invalidParameter("Log events in a single PutLogEvents request must be in chronological order.")) {
            try PutLogEventsRules.check(events([now, now - 1]), now: now, retentionDays: nil)
        }
        #expect(throws: LogsError.self) { try PutLogEventsRules.check([], now: now, retentionDays: nil) }
        #expect(throws: LogsError.self) {
            try PutLogEventsRules.check(Array(repeating: IncomingLogEvent(timestamp: now, message: "x"), count: 10_001), now: now, retentionDays: nil)
        }
        _ = try PutLogEventsRules.check(Array(repeating: IncomingLogEvent(timestamp: now, message: "x"), count: 10_000), now: now, retentionDays: nil)
        // 1,048,576 bytes counting 26 per event: exactly at the limit passes, one byte more fails.
        let exact = [IncomingLogEvent(timestamp: now, message: String(repeating: "a", count: 1_048_576 - 26))]
        _ = try PutLogEventsRules.check(exact, now: now, retentionDays: nil)
        let over = [IncomingLogEvent(timestamp: now, message: String(repeating: "a", count: 1_048_576 - 25))]
        #expect(throws: LogsError.invalidParameter("Upload too large: 1048577 bytes exceeds limit of 1048576")) {
            try PutLogEventsRules.check(over, now: now, retentionDays: nil)
        }
    }

    @Test func namesAndRetention() throws {
        try LogNaming.validateGroupName("/aws/lambda/my-fn_1.#")
        #expect(throws: LogsError.self) { try LogNaming.validateGroupName("bad name") }
        #expect(throws: LogsError.self) { try LogNaming.validateGroupName(String(repeating: "a", count: 513)) }
        try LogNaming.validateStreamName("2024/01/02/[$LATEST]abc")
        #expect(throws: LogsError.self) { try LogNaming.validateStreamName("a:b") }
        #expect(throws: LogsError.self) { try LogNaming.validateStreamName("a*") }
        try LogNaming.validateRetention(1)
        try LogNaming.validateRetention(3653)
        #expect(throws: LogsError.self) { try LogNaming.validateRetention(2) }
        let arns = LogARNs(region: "us-east-1", accountId: "000000000000")
        #expect(arns.group("/aws/lambda/f") == "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/f")
        #expect(arns.groupName(fromARN: arns.groupWildcard("/aws/lambda/f")) == "/aws/lambda/f")
        #expect(arns.groupName(fromARN: "arn:aws:logs:eu-west-1:000000000000:log-group:x") == nil)
    }
}

@Suite struct LogTokenTests {
    @Test func getLogEventsTokensRoundTrip() {
        for position in [EventPosition(timestamp: 1_700_000_000_123, id: 42), .start, .end, EventPosition(timestamp: -5, id: 0)] {
            let forward = LogEventToken.forward(position)
            #expect(forward.text.hasPrefix("f/"))
            #expect(forward.text.count == 58)
            #expect(LogEventToken(forward.text) == forward)
            let backward = LogEventToken.backward(position)
            #expect(backward.text.hasPrefix("b/"))
            #expect(LogEventToken(backward.text) == backward)
        }
        #expect(LogEventToken("f/123") == nil)
        #expect(LogEventToken("x/" + String(repeating: "0", count: 56)) == nil)
    }

    @Test func pageTokensAreBoundToTheirRequest() throws {
        let a = PageToken.fingerprint(["filter", "g", "ERROR"])
        let b = PageToken.fingerprint(["filter", "g", "WARN"])
        let token = PageToken(request: a, timestamp: 5, id: 7).text
        #expect(try PageToken(token, request: a).id == 7)
        #expect(throws: LogsError.self) { try PageToken(token, request: b) }
        #expect(throws: LogsError.self) { try PageToken("garbage", request: a) }
    }
}
