import ArgumentParser
import Auth
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `swiftlet logs`: a function's log lines through the server's CloudWatch Logs API (FilterLogEvents), like
/// `sam logs`; `--follow` keeps polling for new lines.
struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a function's log lines (FilterLogEvents on /aws/lambda/<function>); --follow tails them.")

    @Argument(help: "The function whose /aws/lambda/<function> group is read.") var function: String
    @Option(help: "Directory of the server's credentials and endpoint files.") var dataDir = ".swiftlet"
    @Option(help: "Endpoint URL of the server (default: the one written to <data-dir>/endpoint).") var endpoint: String?
    @Option(help: "Region to sign requests for.") var region = "us-east-1"
    @Option(help: "Log group to read instead of /aws/lambda/<function>.") var logGroup: String?
    @Option(help: "CloudWatch Logs filter pattern: only matching lines are printed.") var filter: String?
    @Option(help: "How far back to start: a number with s, m, h or d (30s, 10m, 2h, 1d).") var since = "10m"
    @Flag(help: "Keep polling every second for new lines until interrupted.") var follow = false

    func validate() throws {
        guard Self.parseDuration(since) != nil else {
            throw ValidationError("--since must be a positive number followed by s, m, h or d (e.g. 30s, 10m, 2h, 1d)")
        }
        if let filter, filter.utf8.count > 1024 { throw ValidationError("--filter must be at most 1024 bytes") }
    }

    func run() async throws {
        let client: LogsClient
        do {
            client = try LogsClient(dataDir: dataDir, endpoint: endpoint, region: region)
        } catch let error as CommandError {
            Self.writeError(error.description)
            throw ExitCode.failure
        }
        let group = logGroup ?? "/aws/lambda/\(function)"
        let sinceSeconds = Self.parseDuration(since) ?? 600
        let start = Int64((Date().timeIntervalSince1970 - Double(sinceSeconds)) * 1000)
        var tail = LogTail(startTime: start)
        var reportedMissing = false
        while true {
            do {
                let events = try await client.filterAll(group: group, pattern: filter, startTime: tail.queryStartTime)
                let fresh = tail.accept(events)
                if !fresh.isEmpty { Self.writeOut(fresh.map(Self.format).joined()) }
            } catch let error as CommandError {
                if case .api(let type, _) = error, type == "ResourceNotFoundException" {
                    if !follow {
                        Self.writeError("no logs yet for \(function)")
                        throw ExitCode.failure
                    }
                    if !reportedMissing {
                        Self.writeError("no logs yet for \(function); waiting")
                        reportedMissing = true
                    }
                } else if follow, case .transport = error {
                    // The server may be restarting: keep following.
                    Self.writeError(error.description)
                } else {
                    Self.writeError(error.description)
                    throw ExitCode.failure
                }
            }
            guard follow else { return }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// `<stream> <ISO time> <message>`, one line per event (the message's own trailing newline dropped).
    static func format(_ event: LogsClient.Event) -> String {
        let date = Date(timeIntervalSince1970: Double(event.timestamp) / 1000)
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
        var message = Substring(event.message)
        while let last = message.last, last.isNewline { message.removeLast() }
        return "\(event.logStreamName) \(time) \(message)\n"
    }

    /// Seconds in `30s`, `10m`, `2h`, `1d` (a bare number is seconds); nil when malformed or not positive.
    static func parseDuration(_ text: String) -> Int? {
        guard let unit = text.last else { return nil }
        let multiplier: Int
        var digits = Substring(text)
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3600
        case "d": multiplier = 86400
        case "0"..."9": multiplier = 1
        default: return nil
        }
        if unit.isLetter { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits), n > 0,
              n <= Int(Int32.max) / multiplier else { return nil }
        return n * multiplier
    }

    static func writeOut(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// What has been printed so far while tailing: queries start a little before the newest timestamp seen (lines can
/// be stored after later ones), and event ids seen in that window are not printed again.
struct LogTail {
    /// Milliseconds before the newest timestamp seen that each poll looks back.
    static let overlap: Int64 = 10_000

    private var newest: Int64
    private var seen: [String: Int64] = [:]

    init(startTime: Int64) {
        newest = startTime
    }

    /// The `startTime` of the next query.
    var queryStartTime: Int64 { seen.isEmpty ? newest : max(0, newest - Self.overlap) }

    /// The events not printed before, in order; remembers them and forgets ids that fell out of the window.
    mutating func accept(_ events: [LogsClient.Event]) -> [LogsClient.Event] {
        var fresh: [LogsClient.Event] = []
        for event in events where seen[event.eventId] == nil {
            seen[event.eventId] = event.timestamp
            fresh.append(event)
            newest = max(newest, event.timestamp)
        }
        let floor = newest - Self.overlap
        seen = seen.filter { $0.value >= floor }
        return fresh
    }
}

/// A minimal CloudWatch Logs client: SigV4-signed JSON 1.1 POSTs of FilterLogEvents with the root credentials.
struct LogsClient: Sendable {
    /// One event of a FilterLogEvents answer.
    struct Event: Decodable, Sendable {
        var logStreamName: String
        var timestamp: Int64
        var message: String
        var eventId: String
    }

    private struct FilterRequest: Encodable {
        var logGroupName: String
        var filterPattern: String?
        var startTime: Int64
        var nextToken: String?
    }

    private struct FilterResponse: Decodable {
        var events: [Event]?
        var nextToken: String?
    }

    let server: ServerClient

    /// Reads `<dataDir>/credentials` and, unless `endpoint` is given, `<dataDir>/endpoint`.
    init(dataDir: String, endpoint: String?, region: String) throws {
        server = try ServerClient(dataDir: dataDir, endpoint: endpoint, region: region, service: "logs")
    }

    /// Every event of `group` from `startTime` on that matches `pattern`, following `nextToken` to the end.
    func filterAll(group: String, pattern: String?, startTime: Int64) async throws -> [Event] {
        var events: [Event] = []
        var token: String?
        repeat {
            let request = FilterRequest(logGroupName: group, filterPattern: pattern.flatMap { $0.isEmpty ? nil : $0 },
                                        startTime: startTime, nextToken: token)
            let body = try JSONEncoder().encode(request)
            let data = try await server.post(target: "Logs_20140328.FilterLogEvents", contentType: "application/x-amz-json-1.1", body: body)
            let page: FilterResponse
            do {
                page = try JSONDecoder().decode(FilterResponse.self, from: data)
            } catch {
                throw CommandError.transport("unexpected FilterLogEvents answer from \(server.url): \(error)")
            }
            events += page.events ?? []
            token = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return events
    }
}
