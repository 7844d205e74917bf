import Foundation

/// The platform's own lines around each invocation, in Lambda's format.
public enum PlatformLines {
    public static func start(requestId: String, version: String) -> String {
        "START RequestId: \(requestId) Version: \(version)"
    }

    public static func end(requestId: String) -> String {
        "END RequestId: \(requestId)"
    }

    /// `REPORT RequestId: …\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t[Init Duration: 150.12 ms\t]`;
    /// an environment restored from a SnapStart template ends with `Restore Duration: 4.56 ms\tBilled Restore Duration: 5 ms\t`
    /// instead of the init duration.
    public static func report(requestId: String, durationMs: Double, memorySizeMB: Int, maxMemoryUsedMB: Int,
                              initDurationMs: Double?, restoreDurationMs: Double? = nil) -> String {
        var line = "REPORT RequestId: \(requestId)\tDuration: \(String(format: "%.2f", durationMs)) ms"
        line += "\tBilled Duration: \(billedMilliseconds(durationMs)) ms"
        line += "\tMemory Size: \(memorySizeMB) MB\tMax Memory Used: \(maxMemoryUsedMB) MB\t"
        if let initDurationMs {
            line += "Init Duration: \(String(format: "%.2f", initDurationMs)) ms\t"
        }
        if let restoreDurationMs {
            line += "Restore Duration: \(String(format: "%.2f", restoreDurationMs)) ms\t"
            line += "Billed Restore Duration: \(billedMilliseconds(restoreDurationMs)) ms\t"
        }
        return line
    }

    /// `INIT_REPORT Init Duration: 10000.12 ms\tPhase: init\tStatus: timeout`: an init that did not finish, as Lambda
    /// reports it.
    public static func initReport(durationMs: Double, phase: String, status: String) -> String {
        "INIT_REPORT Init Duration: \(String(format: "%.2f", durationMs)) ms\tPhase: \(phase)\tStatus: \(status)"
    }

    /// Billed duration: rounded up to the next millisecond, at least 1 ms.
    public static func billedMilliseconds(_ durationMs: Double) -> Int {
        max(1, Int(durationMs.rounded(.up)))
    }

    /// `2026-11-24T07:07:10.123Z <id> Task timed out after 3.00 seconds`
    public static func timedOut(requestId: String, timeoutSeconds: Int, at date: Date = Date()) -> String {
        "\(timestamp(date)) \(requestId) Task timed out after \(String(format: "%.2f", Double(timeoutSeconds))) seconds"
    }

    /// ISO-8601 with milliseconds, UTC.
    public static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var t = time_t(ms / 1000)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, Int(ms % 1000))
    }
}

/// How the platform writes its own records (Lambda's system logs) for a function: the START/END/REPORT text lines,
/// or, with `LogFormat` JSON, one JSON object per event — `{"time": …, "type": "platform.…", "record": {…}}` — written
/// only when the event's level is at least the function's `SystemLogLevel` (initStart, start and report are INFO;
/// initRuntimeDone and runtimeDone DEBUG).
public struct SystemLogFormat: Sendable, Equatable {
    /// `SystemLogLevel`, least to most severe.
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warn

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    /// How an invocation ended, as `platform.runtimeDone` and `platform.report` state it.
    public enum Status: Sendable, Equatable {
        case success
        case timeout
        /// The function or the platform failed it; the error type when one is known.
        case error(type: String?)
    }

    /// nil: text lines; otherwise the least severe JSON record written.
    public var jsonLevel: Level?

    public static let text = SystemLogFormat(jsonLevel: nil)

    public init(jsonLevel: Level?) {
        self.jsonLevel = jsonLevel
    }

    /// From a function's `LoggingConfig`: `LogFormat` and `SystemLogLevel` (INFO when not given).
    public init(logFormat: String, systemLogLevel: String?) {
        guard logFormat == "JSON" else {
            self.jsonLevel = nil
            return
        }
        switch systemLogLevel {
        case "DEBUG": self.jsonLevel = .debug
        case "WARN": self.jsonLevel = .warn
        default: self.jsonLevel = .info
        }
    }

    private func writes(_ level: Level) -> Bool {
        jsonLevel.map { level >= $0 } ?? false
    }

    /// What opens an invocation: `START …`, or `platform.start`.
    public func start(requestId: String, version: String, at date: Date = Date()) -> String? {
        guard jsonLevel != nil else { return PlatformLines.start(requestId: requestId, version: version) }
        guard writes(.info) else { return nil }
        return PlatformRecords.start(requestId: requestId, version: version, at: date)
    }

    /// What closes an invocation: `END` and `REPORT`, or `platform.runtimeDone` (DEBUG) and `platform.report`.
    public func end(requestId: String, status: Status, durationMs: Double, memorySizeMB: Int, maxMemoryUsedMB: Int,
                    initDurationMs: Double?, restoreDurationMs: Double? = nil, at date: Date = Date()) -> [String] {
        guard jsonLevel != nil else {
            return [PlatformLines.end(requestId: requestId),
                    PlatformLines.report(requestId: requestId, durationMs: durationMs, memorySizeMB: memorySizeMB,
                                         maxMemoryUsedMB: maxMemoryUsedMB, initDurationMs: initDurationMs,
                                         restoreDurationMs: restoreDurationMs)]
        }
        var records: [String] = []
        if writes(.debug) {
            records.append(PlatformRecords.runtimeDone(requestId: requestId, status: status, durationMs: durationMs, at: date))
        }
        if writes(.info) {
            records.append(PlatformRecords.report(requestId: requestId, status: status, durationMs: durationMs,
                                                  memorySizeMB: memorySizeMB, maxMemoryUsedMB: maxMemoryUsedMB,
                                                  initDurationMs: initDurationMs, restoreDurationMs: restoreDurationMs, at: date))
        }
        return records
    }

    /// `platform.initStart` when an environment starts (JSON only: the text format has no line for it here).
    public func initStart(functionName: String, version: String, runtime: String?, initializationType: String,
                          at date: Date = Date()) -> String? {
        guard writes(.info) else { return nil }
        return PlatformRecords.initStart(functionName: functionName, version: version, runtime: runtime,
                                         initializationType: initializationType, at: date)
    }

    /// `platform.initRuntimeDone` (DEBUG) when the runtime first asks for an invocation.
    public func initRuntimeDone(initializationType: String, at date: Date = Date()) -> String? {
        guard writes(.debug) else { return nil }
        return PlatformRecords.initRuntimeDone(initializationType: initializationType, at: date)
    }
}

/// Lambda's JSON system-log records, one line each.
public enum PlatformRecords {
    public static func start(requestId: String, version: String, at date: Date) -> String {
        record("platform.start", at: date, "{\"requestId\":\(quoted(requestId)),\"version\":\(quoted(version))}")
    }

    public static func runtimeDone(requestId: String, status: SystemLogFormat.Status, durationMs: Double, at date: Date) -> String {
        record("platform.runtimeDone", at: date,
               "{\"requestId\":\(quoted(requestId)),\(statusFields(status)),\"metrics\":{\"durationMs\":\(decimal(durationMs))}}")
    }

    /// `{"requestId", "metrics": {durationMs, billedDurationMs, memorySizeMB, maxMemoryUsedMB[, initDurationMs]
    /// [, restoreDurationMs, billedRestoreDurationMs]}, "status"[, "errorType"]}`
    public static func report(requestId: String, status: SystemLogFormat.Status, durationMs: Double, memorySizeMB: Int,
                              maxMemoryUsedMB: Int, initDurationMs: Double?, restoreDurationMs: Double? = nil, at date: Date) -> String {
        var metrics = "\"durationMs\":\(decimal(durationMs)),\"billedDurationMs\":\(PlatformLines.billedMilliseconds(durationMs))"
        metrics += ",\"memorySizeMB\":\(memorySizeMB),\"maxMemoryUsedMB\":\(maxMemoryUsedMB)"
        if let initDurationMs { metrics += ",\"initDurationMs\":\(decimal(initDurationMs))" }
        if let restoreDurationMs {
            metrics += ",\"restoreDurationMs\":\(decimal(restoreDurationMs))"
            metrics += ",\"billedRestoreDurationMs\":\(PlatformLines.billedMilliseconds(restoreDurationMs))"
        }
        return record("platform.report", at: date,
                      "{\"requestId\":\(quoted(requestId)),\"metrics\":{\(metrics)},\(statusFields(status))}")
    }

    public static func initStart(functionName: String, version: String, runtime: String?, initializationType: String,
                                 at date: Date) -> String {
        var body = "{\"initializationType\":\(quoted(initializationType)),\"phase\":\"init\""
        if let runtime { body += ",\"runtimeVersion\":\(quoted(runtimeVersion(runtime)))" }
        body += ",\"functionName\":\(quoted(functionName)),\"functionVersion\":\(quoted(version))}"
        return record("platform.initStart", at: date, body)
    }

    public static func initRuntimeDone(initializationType: String, at date: Date) -> String {
        record("platform.initRuntimeDone", at: date,
               "{\"initializationType\":\(quoted(initializationType)),\"phase\":\"init\",\"status\":\"success\"}")
    }

    /// A runtime identifier as Lambda's runtimeVersion names its family: `python3.12` → `python:3.12`.
    static func runtimeVersion(_ runtime: String) -> String {
        guard let split = runtime.firstIndex(where: { $0.isNumber || $0 == "." }) else { return runtime }
        let rest = runtime[split...].drop(while: { $0 == "." })
        return "\(runtime[..<split]):\(rest)"
    }

    private static func record(_ type: String, at date: Date, _ body: String) -> String {
        "{\"time\":\"\(PlatformLines.timestamp(date))\",\"type\":\"\(type)\",\"record\":\(body)}"
    }

    private static func statusFields(_ status: SystemLogFormat.Status) -> String {
        switch status {
        case .success: return "\"status\":\"success\""
        case .timeout: return "\"status\":\"timeout\",\"errorType\":\"Sandbox.Timedout\""
        case .error(let type?): return "\"status\":\"error\",\"errorType\":\(quoted(type))"
        case .error(nil): return "\"status\":\"error\""
        }
    }

    private static func decimal(_ value: Double) -> String {
        String(format: "%.2f", value.isFinite ? max(0, value) : 0)
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
