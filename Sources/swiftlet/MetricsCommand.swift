import ArgumentParser
import Foundation

/// `swiftlet metrics`: a function's AWS/Lambda metrics of the last hour (or `--since`) as a compact table —
/// invocations, errors, throttles, p50 and p99 duration per period, then the whole window — read through the
/// server's CloudWatch API (GetMetricData).
struct Metrics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a function's invocations, errors, throttles and p50/p99 duration (CloudWatch AWS/Lambda metrics).")

    @Argument(help: "The function whose AWS/Lambda metrics are read.") var function: String
    @Option(help: "Directory of the server's credentials and endpoint files.") var dataDir = ".swiftlet"
    @Option(help: "Endpoint URL of the server (default: the one written to <data-dir>/endpoint).") var endpoint: String?
    @Option(help: "Region to sign requests for.") var region = "us-east-1"
    @Option(help: "How far back: a number with s, m, h or d (30m, 1h, 1d).") var since = "1h"
    @Option(help: "Length of each row: a multiple of a minute (1m, 5m, 1h); default a twelfth of --since.") var period: String?

    func validate() throws {
        guard let window = Logs.parseDuration(since), window >= 60 else {
            throw ValidationError("--since must be at least a minute: a number followed by m, h or d (e.g. 30m, 1h, 1d)")
        }
        if let period {
            guard let p = Logs.parseDuration(period), p % 60 == 0 else { throw ValidationError("--period must be a multiple of a minute (1m, 5m, 1h)") }
            guard window / p <= 1440 else { throw ValidationError("--period is too short for --since: at most 1440 rows") }
        }
    }

    struct Query: Encodable {
        struct Dimension: Encodable { var Name: String; var Value: String }
        struct Metric: Encodable { var Namespace = "AWS/Lambda"; var MetricName: String; var Dimensions: [Dimension] }
        struct MetricStat: Encodable { var Metric: Metric; var Period: Int; var Stat: String }
        var Id: String
        var MetricStat: MetricStat
    }

    struct Request: Encodable {
        var MetricDataQueries: [Query]
        var StartTime: Double
        var EndTime: Double
        var ScanBy = "TimestampAscending"
        var NextToken: String?
    }

    struct Response: Decodable {
        struct Result: Decodable { var Id: String; var Timestamps: [Double]; var Values: [Double] }
        var MetricDataResults: [Result]
        var NextToken: String?
    }

    /// The columns: (query id, metric, statistic, header).
    static let columns = [("inv", "Invocations", "Sum", "invocations"), ("err", "Errors", "Sum", "errors"),
                          ("thr", "Throttles", "Sum", "throttles"), ("p50", "Duration", "p50", "p50 ms"),
                          ("p99", "Duration", "p99", "p99 ms")]

    func run() async throws {
        let window = Logs.parseDuration(since) ?? 3600
        let rowSeconds = period.flatMap(Logs.parseDuration) ?? max(60, window / 12 / 60 * 60)
        let client: ServerClient
        do {
            client = try ServerClient(dataDir: dataDir, endpoint: endpoint, region: region, service: "monitoring")
        } catch let error as CommandError {
            Logs.writeError(error.description)
            throw ExitCode.failure
        }
        let end = (Date().timeIntervalSince1970 / 60).rounded(.up) * 60
        let start = end - Double(window)
        do {
            let rows = try await fetch(client, start: start, end: end, period: rowSeconds)
            let total = try await fetch(client, start: start, end: end, period: window / 60 * 60)
            Logs.writeOut(Self.table(rows: rows, total: total.values.first, function: function, since: since))
        } catch let error as CommandError {
            Logs.writeError(error.description)
            throw ExitCode.failure
        }
    }

    /// Values by period start and column id.
    func fetch(_ client: ServerClient, start: Double, end: Double, period: Int) async throws -> [Double: [String: Double]] {
        let dims = [Query.Dimension(Name: "FunctionName", Value: function)]
        var rows: [Double: [String: Double]] = [:]
        var token: String?
        repeat {
            let request = Request(MetricDataQueries: Self.columns.map {
                Query(Id: $0.0, MetricStat: .init(Metric: .init(MetricName: $0.1, Dimensions: dims), Period: period, Stat: $0.2))
            }, StartTime: start, EndTime: end, NextToken: token)
            let data = try await client.post(target: "GraniteServiceVersion20100801.GetMetricData",
                                             contentType: "application/x-amz-json-1.0", body: try JSONEncoder().encode(request))
            let page: Response
            do {
                page = try JSONDecoder().decode(Response.self, from: data)
            } catch {
                throw CommandError.transport("unexpected GetMetricData answer from \(client.url): \(error)")
            }
            for result in page.MetricDataResults {
                for (t, v) in zip(result.Timestamps, result.Values) { rows[t, default: [:]][result.Id] = v }
            }
            token = page.NextToken
        } while token != nil
        return rows
    }

    static func table(rows: [Double: [String: Double]], total: [String: Double]?, function: String, since: String) -> String {
        func cell(_ row: [String: Double], _ id: String) -> String {
            guard let v = row[id] else { return id.hasPrefix("p") ? "-" : "0" }
            return id.hasPrefix("p") ? String(format: "%.1f", v) : String(Int(v.rounded()))
        }
        let header = ["time (UTC)"] + columns.map(\.3)
        var lines: [[String]] = []
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = TimeZone(identifier: "UTC")
        for t in rows.keys.sorted() {
            lines.append([formatter.string(from: Date(timeIntervalSince1970: t))] + columns.map { cell(rows[t]!, $0.0) })
        }
        lines.append(["last \(since)"] + columns.map { cell(total ?? [:], $0.0) })
        let widths = header.indices.map { i in ([header] + lines).map { $0[i].count }.max() ?? 0 }
        func render(_ row: [String]) -> String {
            row.enumerated().map { i, text in
                i == 0 ? text.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[i] - text.count) + text
            }.joined(separator: "  ") + "\n"
        }
        var out = "\(function)\n" + render(header)
        if lines.count == 1 { out += "(no invocations in the last \(since))\n" }
        for line in lines { out += render(line) }
        return out
    }
}
