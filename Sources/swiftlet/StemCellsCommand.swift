import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `swiftlet stem-cells`: the stem-cell pools of a running server per runtime — cells ready and starting, the pool's
/// target, and how cold starts were served (hit, miss, failed) with the hit rate — read from its `/metrics`.
struct StemCells: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stem-cells",
        abstract: "Print the stem-cell pools of a running server: cells ready, cold starts served by a cell, the hit rate.")

    @Option(help: "Directory of the server's credentials and endpoint files.") var dataDir = ".swiftlet"
    @Option(help: "Endpoint URL of the server (default: the one written to <data-dir>/endpoint).") var endpoint: String?
    @Option(help: "Bearer token of GET /metrics, when the server requires one (--metrics-token).") var metricsToken: String?

    /// Per runtime: gauges by state and claims by result.
    struct Pool: Equatable {
        var states: [String: Double] = [:]
        var claims: [String: Double] = [:]
    }

    func run() async throws {
        let client = try ServerClient(dataDir: dataDir, endpoint: endpoint, region: "us-east-1", service: "lambda")
        var request = URLRequest(url: client.url.appendingPathComponent("metrics"))
        if let metricsToken { request.setValue("Bearer \(metricsToken)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
            throw CommandError.transport("GET /metrics answered \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
        let pools = Self.pools(fromExposition: String(decoding: data, as: UTF8.self))
        print(Self.table(pools), terminator: "")
    }

    /// The stem-cell series of a Prometheus text exposition, by runtime.
    static func pools(fromExposition text: String) -> [String: Pool] {
        var pools: [String: Pool] = [:]
        for line in text.split(separator: "\n") {
            let isClaim = line.hasPrefix("swiftlet_stem_cell_claims_total{")
            guard isClaim || line.hasPrefix("swiftlet_stem_cells{"),
                  let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}"),
                  let value = Double(line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)) else { continue }
            var labels: [String: String] = [:]
            for pair in line[line.index(after: open)..<close].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard let runtime = labels["runtime"] else { continue }
            if isClaim, let result = labels["result"] {
                pools[runtime, default: Pool()].claims[result, default: 0] += value
            } else if let state = labels["state"] {
                pools[runtime, default: Pool()].states[state] = value
            }
        }
        return pools
    }

    static func table(_ pools: [String: Pool]) -> String {
        guard !pools.isEmpty else { return "no stem cells (none started yet, --stem-cells 0, or no sandbox)\n" }
        var out = "runtime          ready  starting  target   hits  misses  failed  hit rate\n"
        for (runtime, pool) in pools.sorted(by: { $0.key < $1.key }) {
            func n(_ v: Double?) -> String { String(Int(v ?? 0)) }
            func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
            let hits = pool.claims["hit"] ?? 0, misses = pool.claims["miss"] ?? 0, failed = pool.claims["failed"] ?? 0
            let total = hits + misses + failed
            let rate = total > 0 ? "\(Int((hits / total * 100).rounded())) %" : "-"
            out += runtime.padding(toLength: max(15, runtime.count), withPad: " ", startingAt: 0)
            out += pad(n(pool.states["ready"]), 7) + pad(n(pool.states["starting"]), 10) + pad(n(pool.states["target"]), 8)
            out += pad(n(hits), 7) + pad(n(misses), 8) + pad(n(failed), 8) + pad(rate, 10) + "\n"
        }
        return out
    }
}
