import CloudWatchLogs
import Foundation
import FunctionLogs
import SQLiteStore
import Testing

/// The directory over the real SQLite store: function logs appear as groups and streams, tokens page, the index
/// narrows without changing answers, retention and deletions remove events.
@Suite struct LogStoreTests {
    let now: Int64 = 1_700_000_000_000

    func makeDirectory() throws -> (LogsDirectory, SQLiteStore, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cwl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let clock: @Sendable () -> Int64 = { [now] in now }
        return (LogsDirectory(store: store, arns: LogARNs(region: "us-east-1", accountId: "000000000000"), clock: clock), store, dir)
    }

    @Test func functionLogsAppearAsGroupsAndStreams() async throws {
        let (logs, store, dir) = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await store.appendLogEvents([
            LogEvent(group: "/aws/lambda/f", stream: "2024/01/01/[$LATEST]aa", timestamp: now, message: "START RequestId: 1\n"),
            LogEvent(group: "/aws/lambda/f", stream: "2024/01/01/[$LATEST]aa", timestamp: now + 1, message: "hello\n"),
            LogEvent(group: "/aws/lambda/f", stream: "2024/01/01/[$LATEST]bb", timestamp: now + 2, message: "other\n"),
        ], newGroupRetentionDays: 7)
        let group = try await logs.logGroup(name: "/aws/lambda/f")
        #expect(group.retentionInDays == 7)
        #expect(group.storedBytes == Int64("START RequestId: 1\nhello\nother\n".utf8.count))
        let (streams, _) = try await logs.describeLogStreams(group: "/aws/lambda/f", prefix: nil, orderBy: "LastEventTime",
                                                             descending: true, limit: nil, nextToken: nil)
        #expect(streams.map(\.name) == ["2024/01/01/[$LATEST]bb", "2024/01/01/[$LATEST]aa"])
        #expect(streams[1].firstEventTimestamp == now && streams[1].lastEventTimestamp == now + 1)
        let page = try await logs.getLogEvents(group: "/aws/lambda/f", stream: "2024/01/01/[$LATEST]aa", startTime: nil, endTime: nil,
                                               nextToken: nil, limit: nil, startFromHead: true)
        #expect(page.events.map(\.message) == ["START RequestId: 1\n", "hello\n"])
    }

    @Test func getLogEventsPagesBothWays() async throws {
        let (logs, _, dir) = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await logs.createLogGroup(name: "g", tags: [:])
        try await logs.createLogStream(group: "g", name: "s")
        _ = try await logs.putLogEvents(group: "g", stream: "s", events: (0..<10).map { IncomingLogEvent(timestamp: now - 100 + Int64($0), message: "e\($0)") })
        var token: String?
        var seen: [String] = []
        while true {
            let page = try await logs.getLogEvents(group: "g", stream: "s", startTime: nil, endTime: nil, nextToken: token, limit: 3, startFromHead: true)
            seen += page.events.map(\.message)
            if page.forward == token { break }
            token = page.forward
        }
        #expect(seen == (0..<10).map { "e\($0)" })
        // Without startFromHead the newest page comes first; the backward token walks to older ones.
        let last = try await logs.getLogEvents(group: "g", stream: "s", startTime: nil, endTime: nil, nextToken: nil, limit: 4, startFromHead: nil)
        #expect(last.events.map(\.message) == ["e6", "e7", "e8", "e9"])
        let before = try await logs.getLogEvents(group: "g", stream: "s", startTime: nil, endTime: nil, nextToken: last.backward, limit: 4, startFromHead: nil)
        #expect(before.events.map(\.message) == ["e2", "e3", "e4", "e5"])
        let ranged = try await logs.getLogEvents(group: "g", stream: "s", startTime: now - 98, endTime: now - 95, nextToken: nil, limit: nil, startFromHead: true)
        #expect(ranged.events.map(\.message) == ["e2", "e3", "e4"])
    }

    @Test func filterWithAndWithoutTheIndexAgrees() async throws {
        let (logs, _, dir) = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await logs.createLogGroup(name: "g", tags: [:])
        for s in ["a", "b"] { try await logs.createLogStream(group: "g", name: s) }
        for s in ["a", "b"] {
            let events = (0..<500).map { i in
                IncomingLogEvent(timestamp: now - 1000 + Int64(i), message: i % 50 == 0 ? #"{"level": "ERROR", "n": \#(i), "s": "\#(s)"}"# : "INFO ok \(i) \(s)")
            }
            _ = try await logs.putLogEvents(group: "g", stream: s, events: events)
        }
        for pattern in ["ERROR", #"{ $.level = "ERROR" && $.n > 100 }"#, "?ERROR ?\"ok 7\"", "INFO -ok", "[level, ok, n = 4*, s = a]", "ok 49"] {
            var all: [StoredLogEvent] = []
            var token: String?
            repeat {
                let page = try await logs.filterLogEvents(group: "g", streamNames: nil, streamPrefix: nil, startTime: nil, endTime: nil,
                                                          filterPattern: pattern, limit: 7, nextToken: token)
                all += page.events
                token = page.nextToken
            } while token != nil
            let compiled = try FilterPattern(parsing: pattern)
            let expected = (0..<500).flatMap { i in ["a", "b"].map { s in (i, s) } }
                .map { i, s in (i, s, i % 50 == 0 ? #"{"level": "ERROR", "n": \#(i), "s": "\#(s)"}"# : "INFO ok \(i) \(s)") }
                .filter { compiled.matches($0.2) }
            #expect(all.map(\.message) == expected.map(\.2), "\(pattern)")
            #expect(all.map(\.position) == all.map(\.position).sorted(), "time order across streams")
        }
        let one = try await logs.filterLogEvents(group: "g", streamNames: ["b"], streamPrefix: nil, startTime: now - 1000, endTime: now - 900,
                                                 filterPattern: "ERROR", limit: nil, nextToken: nil)
        #expect(one.events.map(\.stream) == ["b", "b"])
    }

    @Test func retentionAndDeletionsRemoveEvents() async throws {
        let (logs, store, dir) = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let day: Int64 = 86_400_000
        try await logs.createLogGroup(name: "g", tags: ["team": "a"])
        try await logs.createLogStream(group: "g", name: "s")
        _ = try await logs.putLogEvents(group: "g", stream: "s", events: [
            IncomingLogEvent(timestamp: now - 3 * day, message: "old"), IncomingLogEvent(timestamp: now - 2 * day, message: "older?"),
        ])
        _ = try await logs.putLogEvents(group: "g", stream: "s", events: [IncomingLogEvent(timestamp: now - 10, message: "new")])
        try await logs.putRetentionPolicy(group: "g", days: 1)
        #expect(try await store.deleteExpiredLogEvents(now: now, limit: 100) == 2)
        let left = try await logs.filterLogEvents(group: "g", streamNames: nil, streamPrefix: nil, startTime: nil, endTime: nil,
                                                  filterPattern: nil, limit: nil, nextToken: nil)
        #expect(left.events.map(\.message) == ["new"])
        #expect(try await store.logStream(group: "g", name: "s").storedBytes == 3)
        try await logs.deleteLogGroup(name: "g")
        await #expect(throws: LogsError.logGroupNotFound) { try await logs.logGroup(name: "g") }
        #expect(try await store.purgeDeletedLogs(limit: 100) == 1)
        // A group of the same name starts empty.
        try await logs.createLogGroup(name: "g", tags: [:])
        #expect(try await logs.logGroup(name: "g").storedBytes == 0)
    }

    @Test func describeLogGroupsPagesAndErrors() async throws {
        let (logs, _, dir) = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<7 { try await logs.createLogGroup(name: "/app/g\(i)", tags: [:]) }
        try await logs.createLogGroup(name: "/other/x", tags: [:])
        await #expect(throws: LogsError.logGroupAlreadyExists) { try await logs.createLogGroup(name: "/app/g1", tags: [:]) }
        var names: [String] = []
        var token: String?
        repeat {
            let page = try await logs.describeLogGroups(prefix: "/app/", pattern: nil, limit: 3, nextToken: token)
            names += page.groups.map(\.name)
            token = page.nextToken
        } while token != nil
        #expect(names == (0..<7).map { "/app/g\($0)" })
        #expect(try await logs.describeLogGroups(prefix: nil, pattern: "OTHER", limit: nil, nextToken: nil).groups.map(\.name) == ["/other/x"])
        await #expect(throws: LogsError.logStreamNotFound) {
            _ = try await logs.putLogEvents(group: "/app/g1", stream: "missing", events: [IncomingLogEvent(timestamp: now, message: "x")])
        }
        await #expect(throws: LogsError.logGroupNotFound) { try await logs.createLogStream(group: "/nope", name: "s") }
    }
}
