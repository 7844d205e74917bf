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
        } catch let error as LogsCommandError {
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
            } catch let error as LogsCommandError {
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

/// Why a request to the Logs API failed.
enum LogsCommandError: Error, CustomStringConvertible {
    /// The server answered with an AWS error (`__type`, `message`).
    case api(type: String, message: String)
    /// The server could not be reached or answered something that is not the Logs API.
    case transport(String)
    /// Local setup: the credentials or endpoint file.
    case setup(String)

    var description: String {
        switch self {
        case .api(let type, let message): message.isEmpty ? type : "\(type): \(message)"
        case .transport(let text), .setup(let text): text
        }
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

    private struct ErrorResponse: Decodable {
        var type: String?
        var message: String?
        var Message: String?

        enum CodingKeys: String, CodingKey {
            case type = "__type", message, Message
        }
    }

    let url: URL
    let host: String
    let signer: SigV4Signer

    /// Reads `<dataDir>/credentials` and, unless `endpoint` is given, `<dataDir>/endpoint`.
    init(dataDir: String, endpoint: String?, region: String) throws {
        let credentialsPath = (dataDir as NSString).appendingPathComponent("credentials")
        let credentials: Credentials?
        do {
            credentials = try CredentialsFile.read(path: credentialsPath)
        } catch {
            throw LogsCommandError.setup("cannot read \(credentialsPath): \(error)")
        }
        guard let credentials else {
            throw LogsCommandError.setup("no credentials in \(credentialsPath) (has the server run with --data-dir \(dataDir)?)")
        }
        var base = endpoint
        if base == nil {
            let endpointPath = (dataDir as NSString).appendingPathComponent("endpoint")
            guard let text = try? String(contentsOfFile: endpointPath, encoding: .utf8) else {
                throw LogsCommandError.setup("no endpoint in \(endpointPath) (is the server running? else pass --endpoint)")
            }
            base = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let base, let url = URL(string: base), let scheme = url.scheme, scheme == "http" || scheme == "https",
              let hostName = url.host, !hostName.isEmpty else {
            throw LogsCommandError.setup("invalid endpoint URL \(base ?? "")")
        }
        self.url = url.appendingPathComponent("/")
        self.host = url.port.map { "\(hostName):\($0)" } ?? hostName
        self.signer = SigV4Signer(credentials: credentials, region: region, service: "logs")
    }

    /// Every event of `group` from `startTime` on that matches `pattern`, following `nextToken` to the end.
    func filterAll(group: String, pattern: String?, startTime: Int64) async throws -> [Event] {
        var events: [Event] = []
        var token: String?
        repeat {
            let request = FilterRequest(logGroupName: group, filterPattern: pattern.flatMap { $0.isEmpty ? nil : $0 },
                                        startTime: startTime, nextToken: token)
            let body = try JSONEncoder().encode(request)
            let data = try await post(target: "Logs_20140328.FilterLogEvents", body: body)
            let page: FilterResponse
            do {
                page = try JSONDecoder().decode(FilterResponse.self, from: data)
            } catch {
                throw LogsCommandError.transport("unexpected FilterLogEvents answer from \(url): \(error)")
            }
            events += page.events ?? []
            token = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return events
    }

    /// POSTs `body` signed for `target`; the body of a 2xx answer, else the AWS error it carries.
    private func post(target: String, body: Data) async throws -> Data {
        let contentType = "application/x-amz-json-1.1"
        let signable = SignableRequest(
            method: "POST", rawPath: "/", rawQuery: "",
            headers: [("host", host), ("content-type", contentType), ("x-amz-target", target)],
            bodySHA256: Hex.sha256(bytes: body))
        var request = URLRequest(url: url, timeoutInterval: 60)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.setValue(target, forHTTPHeaderField: "X-Amz-Target")
        for (name, value) in signer.authorizationHeaders(for: signable) {
            request.setValue(value, forHTTPHeaderField: name)
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw LogsCommandError.transport("cannot reach \(url): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw LogsCommandError.transport("no HTTP answer from \(url)")
        }
        if (200..<300).contains(http.statusCode) { return data }
        guard let error = try? JSONDecoder().decode(ErrorResponse.self, from: data), let rawType = error.type else {
            throw LogsCommandError.transport("HTTP \(http.statusCode) from \(url): \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        // `__type` may carry a namespace (`com.amazonaws.logs#ResourceNotFoundException`).
        let type = rawType.split(separator: "#").last.map(String.init) ?? rawType
        throw LogsCommandError.api(type: type, message: error.message ?? error.Message ?? "")
    }
}
