import FunctionLogs
import Foundation
import Testing

@Suite struct PlatformLinesTests {
    @Test func reportLineHasLambdasFieldsAndTabs() {
        let line = PlatformLines.report(requestId: "abc", durationMs: 12.344, memorySizeMB: 128, maxMemoryUsedMB: 40, initDurationMs: 150.126)
        #expect(line == "REPORT RequestId: abc\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 150.13 ms\t")
        let warm = PlatformLines.report(requestId: "abc", durationMs: 0.2, memorySizeMB: 128, maxMemoryUsedMB: 40, initDurationMs: nil)
        #expect(warm == "REPORT RequestId: abc\tDuration: 0.20 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t")
    }

    /// A SnapStart copy's first REPORT: `Restore Duration` and `Billed Restore Duration` where others say `Init Duration`.
    @Test func restoredReportSaysRestoreDuration() {
        let line = PlatformLines.report(requestId: "abc", durationMs: 1.5, memorySizeMB: 128, maxMemoryUsedMB: 30, initDurationMs: nil,
                                        restoreDurationMs: 4.321)
        #expect(line == "REPORT RequestId: abc\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\tRestore Duration: 4.32 ms\tBilled Restore Duration: 5 ms\t")
        let json = SystemLogFormat(logFormat: "JSON", systemLogLevel: "INFO")
            .end(requestId: "abc", status: .success, durationMs: 1.5, memorySizeMB: 128, maxMemoryUsedMB: 30, initDurationMs: nil,
                 restoreDurationMs: 4.321).joined()
        #expect(json.contains("\"restoreDurationMs\":4.32") && json.contains("\"billedRestoreDurationMs\":5"))
        #expect(!json.contains("initDurationMs"))
    }

    /// An init that passed Lambda's limit, as Lambda logs it before trying the init again within the invocation.
    @Test func initReportOfATimedOutInit() {
        #expect(PlatformLines.initReport(durationMs: 10000.126, phase: "init", status: "timeout")
            == "INIT_REPORT Init Duration: 10000.13 ms\tPhase: init\tStatus: timeout")
    }

    @Test func streamNameFollowsLambda() {
        let date = Date(timeIntervalSince1970: 1_795_500_000) // 2026-11-24 UTC
        let name = LogNames.stream(version: "$LATEST", environmentId: "0123456789abcdef0123456789abcdef", date: date)
        #expect(name == "2026/11/24/[$LATEST]0123456789abcdef0123456789abcdef")
    }

    @Test func timeoutLine() {
        let line = PlatformLines.timedOut(requestId: "id-1", timeoutSeconds: 3, at: Date(timeIntervalSince1970: 0.5))
        #expect(line == "1970-01-01T00:00:00.500Z id-1 Task timed out after 3.00 seconds")
    }
}
