import CloudWatchLogs
import Foundation
import FunctionLogs
import SQLiteStore
import Testing

/// The platform's START/END/REPORT lines are stored compactly and losslessly, kept out of the full-text index, and
/// still found by every filter that could match them.
@Suite struct CompactLogLineTests {
    let id = "abcae99e-4612-43a9-b1db-b6f579e8a6d4"

    @Test func platformLinesRoundTripInAFewBytes() throws {
        let lines = [
            PlatformLines.start(requestId: id, version: "$LATEST"),
            PlatformLines.start(requestId: id, version: "12"),
            PlatformLines.end(requestId: id),
            PlatformLines.report(requestId: id, durationMs: 0.41, memorySizeMB: 1769, maxMemoryUsedMB: 7, initDurationMs: nil),
            PlatformLines.report(requestId: id, durationMs: 12_345.678, memorySizeMB: 128, maxMemoryUsedMB: 40, initDurationMs: 150.1),
            PlatformLines.report(requestId: id, durationMs: 0, memorySizeMB: 10_240, maxMemoryUsedMB: 0, initDurationMs: 0),
        ]
        for line in lines {
            let bytes = try #require(CompactLogLine.encode(line), "\(line)")
            #expect(CompactLogLine.decode(bytes) == line)
            #expect(bytes.count <= 30, "\(line): \(bytes.count) bytes")
        }
    }

    @Test func anythingElseStaysText() {
        for line in [
            "START RequestId: \(id.uppercased()) Version: $LATEST",        // not the canonical lowercase form
            "START RequestId: \(id) Version: 012",
            "START RequestId: \(id) Version: live",                          // an alias is not a version Lambda writes
            "END RequestId: \(id) ",
            "END RequestId: \(id.dropLast())",
            "REPORT RequestId: \(id)\tDuration: 0.4 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 7 MB\t",
            "REPORT RequestId: \(id)\tDuration: 0.41 ms\tBilled Duration: 01 ms\tMemory Size: 128 MB\tMax Memory Used: 7 MB\t",
            "REPORT RequestId: \(id)\tDuration: 0.41 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 7 MB\tStatus: timeout",
            "REPORT RequestId: \(id)\tDuration: 0.41 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 7 MB",
            "START RequestId: \(id) Version: $LATEST\n",
            "hello", "", "START", "REPORT RequestId: ",
        ] {
            #expect(CompactLogLine.encode(line) == nil, "\(line)")
        }
        #expect(CompactLogLine.decode([9] + Array(repeating: 0, count: 16)) == nil)
        #expect(CompactLogLine.decode([2] + Array(repeating: 0, count: 16) + [1]) == nil, "trailing bytes")
        #expect(CompactLogLine.decode([3] + Array(repeating: 0, count: 16) + [0x80]) == nil, "a cut varint")
    }

    @Test func kindsThatCouldContainATextFollowTheTemplates() {
        func kinds(_ texts: [[String]]) -> Set<CompactLogLine.Kind> { Set(CompactLogLine.kinds(couldContain: texts)) }
        let reports: Set<CompactLogLine.Kind> = [.report, .reportWithInit]
        #expect(kinds([["ERROR"]]).isEmpty)
        #expect(kinds([["Exception"]]).isEmpty)
        #expect(kinds([["level"]]).isEmpty)
        #expect(kinds([["REPORT"]]) == reports)
        #expect(kinds([["Duration"]]) == reports)
        #expect(kinds([["Init Duration"]]) == [.reportWithInit])
        #expect(kinds([["1769 MB"]]) == reports)
        #expect(kinds([["ms\tBilled"]]) == reports)
        #expect(kinds([["RequestId"]]) == Set(CompactLogLine.Kind.allCases))
        #expect(kinds([[String(id.prefix(13))]]) == Set(CompactLogLine.Kind.allCases))
        #expect(kinds([["Version: 3"]]) == [.start])
        #expect(kinds([["$LATEST"]]) == [.start])
        #expect(kinds([["END"]]) == [.end])
        #expect(kinds([["START", "Duration"]]).isEmpty, "every text of a conjunction")
        #expect(kinds([["ERROR"], ["END Req"]]) == [.end], "any alternative")
        #expect(kinds([["n: 12.5"]]) == reports)
        #expect(kinds([["d: 12.5"]]).isEmpty, "Used: takes whole megabytes")
        #expect(kinds([["Duration: x"]]).isEmpty)
    }

    @Test func filtersFindCompactLinesWithAndWithoutTheIndex() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cll-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let now: Int64 = 1_700_000_000_000
        let logs = LogsDirectory(store: store, arns: LogARNs(region: "us-east-1", accountId: "000000000000"), clock: { now })
        var lines: [String] = []
        for i in 0..<300 {
            let requestId = String(format: "%08x-4612-43a9-b1db-b6f579e8a6d4", i)
            lines.append(PlatformLines.start(requestId: requestId, version: "$LATEST"))
            lines.append(i % 30 == 0 ? "[ERROR] \(requestId) failed" : "INFO handled \(i)")
            lines.append(PlatformLines.end(requestId: requestId))
            lines.append(PlatformLines.report(requestId: requestId, durationMs: Double(i) / 7, memorySizeMB: 128,
                                              maxMemoryUsedMB: 30 + i % 5, initDurationMs: i == 0 ? 88.5 : nil))
        }
        try await store.appendLogEvents(lines.enumerated().map { n, line in
            LogEvent(group: "/aws/lambda/f", stream: "s\(n % 3)", timestamp: now - 10_000 + Int64(n), message: line)
        }, newGroupRetentionDays: nil)
        let group = try await logs.logGroup(name: "/aws/lambda/f")
        #expect(group.storedBytes == Int64(lines.reduce(0) { $0 + $1.utf8.count }), "stored bytes count the text")
        for pattern in ["", "REPORT", "ERROR", "00000012", "\"Init Duration\"", "?ERROR ?END", "Max Memory Used: 33 MB",
                        "[type=REPORT, ...]", "-INFO", "\"Version: $LATEST\""] {
            var all: [String] = []
            var token: String?
            repeat {
                let page = try await logs.filterLogEvents(group: "/aws/lambda/f", streamNames: nil, streamPrefix: nil, startTime: nil,
                                                          endTime: nil, filterPattern: pattern, limit: 50, nextToken: token)
                all += page.events.map(\.message)
                token = page.nextToken
            } while token != nil
            let compiled = try FilterPattern(parsing: pattern)
            #expect(all == lines.filter { compiled.matches($0) }, "\(pattern)")
        }
        let stream = try await logs.getLogEvents(group: "/aws/lambda/f", stream: "s0", startTime: nil, endTime: nil,
                                                 nextToken: nil, limit: nil, startFromHead: true)
        #expect(stream.events.map(\.message) == lines.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        #expect(stream.events.allSatisfy { $0.ingestionTime >= $0.timestamp })
    }
}
