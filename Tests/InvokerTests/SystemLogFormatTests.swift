import FunctionLogs
import Foundation
import Testing

/// The platform's records with LoggingConfig: text lines unchanged, JSON `platform.*` records filtered by SystemLogLevel.
@Suite struct SystemLogFormatTests {
    static let at = Date(timeIntervalSince1970: 1_795_500_000.25) // 2026-11-24T06:00:00.250Z

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func textIsLambdasStartEndReport() {
        let text = SystemLogFormat(logFormat: "Text", systemLogLevel: nil)
        #expect(text == .text)
        #expect(text.start(requestId: "id-1", version: "$LATEST", at: Self.at) == "START RequestId: id-1 Version: $LATEST")
        let end = text.end(requestId: "id-1", status: .success, durationMs: 12.344, memorySizeMB: 128, maxMemoryUsedMB: 40,
                           initDurationMs: nil, at: Self.at)
        #expect(end == ["END RequestId: id-1",
                        "REPORT RequestId: id-1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t"])
        #expect(text.initStart(functionName: "f", version: "$LATEST", runtime: "python3.12", initializationType: "on-demand") == nil)
        #expect(text.initRuntimeDone(initializationType: "on-demand") == nil)
    }

    @Test func jsonStartRecord() throws {
        let json = SystemLogFormat(logFormat: "JSON", systemLogLevel: "INFO")
        let line = try #require(json.start(requestId: "id-1", version: "$LATEST", at: Self.at))
        #expect(line == #"{"time":"2026-11-24T06:00:00.250Z","type":"platform.start","record":{"requestId":"id-1","version":"$LATEST"}}"#)
    }

    @Test func jsonReportRecordHasLambdasMetrics() throws {
        let json = SystemLogFormat(logFormat: "JSON", systemLogLevel: nil)
        #expect(json.jsonLevel == .info)
        let lines = json.end(requestId: "id-2", status: .success, durationMs: 2.345, memorySizeMB: 256, maxMemoryUsedMB: 41,
                             initDurationMs: 150.126, at: Self.at)
        #expect(lines.count == 1)
        let report = try Self.object(lines[0])
        #expect(report["type"] as? String == "platform.report")
        #expect(report["time"] as? String == "2026-11-24T06:00:00.250Z")
        let record = try #require(report["record"] as? [String: Any])
        #expect(record["requestId"] as? String == "id-2")
        #expect(record["status"] as? String == "success")
        let metrics = try #require(record["metrics"] as? [String: Any])
        #expect(metrics["durationMs"] as? Double == 2.35)
        #expect(metrics["billedDurationMs"] as? Int == 3)
        #expect(metrics["memorySizeMB"] as? Int == 256)
        #expect(metrics["maxMemoryUsedMB"] as? Int == 41)
        #expect(metrics["initDurationMs"] as? Double == 150.13)
        let warm = try Self.object(json.end(requestId: "id-3", status: .success, durationMs: 0.2, memorySizeMB: 128,
                                            maxMemoryUsedMB: 30, initDurationMs: nil, at: Self.at)[0])
        let warmMetrics = try #require((warm["record"] as? [String: Any])?["metrics"] as? [String: Any])
        #expect(warmMetrics["initDurationMs"] == nil)
        #expect(warmMetrics["billedDurationMs"] as? Int == 1)
    }

    @Test func failedInvocationsSayHow() throws {
        let json = SystemLogFormat(jsonLevel: .info)
        let timeout = try Self.object(json.end(requestId: "t", status: .timeout, durationMs: 3000, memorySizeMB: 128,
                                               maxMemoryUsedMB: 30, initDurationMs: nil, at: Self.at)[0])
        let t = try #require(timeout["record"] as? [String: Any])
        #expect(t["status"] as? String == "timeout" && t["errorType"] as? String == "Sandbox.Timedout")
        let failed = try Self.object(json.end(requestId: "e", status: .error(type: "Runtime.\"Odd\"\n"), durationMs: 1,
                                              memorySizeMB: 128, maxMemoryUsedMB: 30, initDurationMs: nil, at: Self.at)[0])
        let e = try #require(failed["record"] as? [String: Any])
        #expect(e["status"] as? String == "error" && e["errorType"] as? String == "Runtime.\"Odd\"\n")
    }

    @Test func systemLogLevelFilters() throws {
        let debug = SystemLogFormat(logFormat: "JSON", systemLogLevel: "DEBUG")
        let all = debug.end(requestId: "d", status: .success, durationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 1,
                            initDurationMs: nil, at: Self.at)
        #expect(try all.map { try Self.object($0)["type"] as? String } == ["platform.runtimeDone", "platform.report"])
        let done = try #require(try Self.object(all[0])["record"] as? [String: Any])
        #expect(done["status"] as? String == "success" && done["requestId"] as? String == "d")
        #expect(debug.initRuntimeDone(initializationType: "on-demand", at: Self.at) ==
            #"{"time":"2026-11-24T06:00:00.250Z","type":"platform.initRuntimeDone","record":{"initializationType":"on-demand","phase":"init","status":"success"}}"#)

        let info = SystemLogFormat(logFormat: "JSON", systemLogLevel: "INFO")
        #expect(info.initRuntimeDone(initializationType: "on-demand") == nil)
        #expect(info.end(requestId: "i", status: .success, durationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 1,
                         initDurationMs: nil).count == 1)

        let warn = SystemLogFormat(logFormat: "JSON", systemLogLevel: "WARN")
        #expect(warn.start(requestId: "w", version: "1") == nil)
        #expect(warn.end(requestId: "w", status: .success, durationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 1,
                         initDurationMs: nil).isEmpty)
        #expect(warn.initStart(functionName: "f", version: "1", runtime: nil, initializationType: "on-demand") == nil)
    }

    @Test func initStartNamesTheRuntimeFamily() throws {
        let json = SystemLogFormat(jsonLevel: .info)
        let line = try #require(json.initStart(functionName: "orders", version: "$LATEST", runtime: "python3.12",
                                               initializationType: "provisioned-concurrency", at: Self.at))
        #expect(line == #"{"time":"2026-11-24T06:00:00.250Z","type":"platform.initStart","record":{"initializationType":"provisioned-concurrency","phase":"init","runtimeVersion":"python:3.12","functionName":"orders","functionVersion":"$LATEST"}}"#)
        let node = try Self.object(try #require(json.initStart(functionName: "n", version: "2", runtime: "nodejs20.x",
                                                               initializationType: "on-demand", at: Self.at)))
        #expect((node["record"] as? [String: Any])?["runtimeVersion"] as? String == "nodejs:20.x")
    }
}
