import ArgumentParser
import Catalog
import Foundation
import FunctionNetwork
import Logging
import Metrics
import PlatformMetrics
import Server

@main
struct Swiftlet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftlet",
        abstract: "A self-hosted serverless platform that speaks AWS Lambda's protocols.",
        version: SwiftletServer.version,
        subcommands: [Serve.self, Runtimes.self, Logs.self, Metrics.self, StemCells.self, ClusterCommand.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8900
    @Option(help: "Directory for the database, code blobs and credentials.") var dataDir = ".swiftlet"
    @Option(help: "AWS region this server answers as.") var region = "us-east-1"
    @Option(help: "12-digit account id used in ARNs.") var accountId = "000000000000"
    @Option(help: "Account concurrency limit (default: sized to host memory).") var maxConcurrency: Int?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Option(help: "Seconds an idle execution environment is kept before it is shut down.") var idleTimeout = 600
    @Option(help: "Milliseconds an idle environment runs before it is frozen (negative: never freeze).") var freezeAfter = 50
    @Option(help: "Most pre-started Python environments (stem cells) kept ready per runtime for cold starts (0: none).")
    var stemCells = 4
    @Option(help: "Milliseconds an on-demand environment's init may take before it is tried again within the invocation (Lambda: 10000); for tests.")
    var initTimeout = 10_000
    @Option(help: "Environment isolation: auto (sandbox when the host allows, else plain processes), sandbox, plain.")
    var isolation = "auto"
    @Option(help: "Run asynchronous timing (retry delays, event ages) this many times faster; for tests.") var asyncSpeedup = 1.0
    @Option(help: "Longest life in seconds of temporary credentials from STS (default: as requested, up to AWS's limits).")
    var maxSessionSeconds: Int?
    @Option(help: "Functions' network: nat (reach every network the host routes to, not the host itself) or none (loopback only).")
    var functionNetwork = "nat"
    @Option(help: "Subnet of functions' addresses (the bridge takes the first).") var functionSubnet = "198.18.0.0/16"
    @Option(help: "Name of the bridge functions' veths join (one server per bridge).") var bridgeName = "swiftlet0"
    @Option(help: "The AWS SDK for Python offered to Python functions (scripts/install-python-sdk puts it there).")
    var pythonSdkDir = "/usr/local/lib/swiftlet/python-sdk"
    @Option(help: "Port of function URLs and HTTP APIs (each endpoint gets its own loopback address on it; 0 picks a free one).")
    var httpPort = 8910
    @Option(help: "Domain of function URLs and HTTP APIs for Host-header routing (<id>.lambda-url.<region>.<domain>).")
    var httpDomain = "localhost"
    @Flag(help: "Log one line per function URL or HTTP API request (status, latency).") var httpAccessLog = false
    @Option(help: "PostgreSQL database shared by the nodes of a cluster, postgresql://user[:password]@host[:port]/database (default: SWIFTLET_DATABASE_URL, else the embedded SQLite store in the data dir).")
    var databaseUrl: String?
    @Option(help: "This node's id in the cluster (default: one generated once and kept in <data-dir>/node-id).")
    var nodeId: String?
    @Option(help: "How the cluster's other nodes and operators reach this node, e.g. http://10.0.0.5:8900 (default: the listener's address).")
    var advertiseUrl: String?
    @Option(help: "Require 'Authorization: Bearer <token>' on GET /metrics (default: the scrape is open to anyone who reaches the listener).")
    var metricsToken: String?
    @Option(help: "Retention in days of the log groups the platform creates for functions (0: never expire; else one of CloudWatch Logs' periods: 1, 3, 5, 7, 14, 30, …).")
    var logRetentionDays = 0
    @Option(help: "UDP port of the X-Ray daemon on 127.0.0.1 that functions send segments to (0: a free one; off: none). Default 2000.")
    var xrayDaemonPort: String?
    @Option(help: "OTLP/HTTP collector (e.g. http://127.0.0.1:4318) the platform's trace spans are exported to.")
    var otlpEndpoint: String?

    func validate() throws {
        guard accountId.count == 12, accountId.allSatisfy(\.isNumber) else {
            throw ValidationError("--account-id must be 12 digits")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard IsolationRequest(rawValue: isolation) != nil else {
            throw ValidationError("--isolation must be one of: auto, sandbox, plain")
        }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be positive") }
        if let metricsToken, metricsToken.isEmpty { throw ValidationError("--metrics-token must not be empty") }
        if let xrayDaemonPort, xrayDaemonPort != "off", Int(xrayDaemonPort).map({ (0...65535).contains($0) }) != true {
            throw ValidationError("--xray-daemon-port must be a port number, 0 or off")
        }
        if let otlpEndpoint, !(otlpEndpoint.hasPrefix("http://") || otlpEndpoint.hasPrefix("https://")) {
            throw ValidationError("--otlp-endpoint must be an http(s) URL")
        }
        if let nodeId, nodeId.isEmpty || nodeId.utf8.count > 64 || !nodeId.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) {
            throw ValidationError("--node-id must be 1 to 64 letters, digits, '-', '_' or '.'")
        }
        if let advertiseUrl, !(advertiseUrl.hasPrefix("http://") || advertiseUrl.hasPrefix("https://")) {
            throw ValidationError("--advertise-url must be an http(s) URL")
        }
        guard asyncSpeedup > 0 else { throw ValidationError("--async-speedup must be positive") }
        if let maxSessionSeconds, maxSessionSeconds <= 0 { throw ValidationError("--max-session-seconds must be positive") }
        guard logRetentionDays == 0 || ServerConfiguration.logRetentionPeriods.contains(logRetentionDays) else {
            throw ValidationError("--log-retention-days must be 0 or one of \(ServerConfiguration.logRetentionPeriods.sorted())")
        }
        guard FunctionNetworkConfiguration.Mode(rawValue: functionNetwork) != nil else {
            throw ValidationError("--function-network must be nat or none")
        }
        guard IPv4Subnet(parsing: functionSubnet) != nil else {
            throw ValidationError("--function-subnet must be an IPv4 network in CIDR form with a prefix of /8 to /30, e.g. 198.18.0.0/16")
        }
        guard !bridgeName.isEmpty, bridgeName.utf8.count <= 15, bridgeName.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ValidationError("--bridge-name must be 1 to 15 letters, digits, - or _")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "swiftlet")
        var config = ServerConfiguration(
            host: host, port: port, dataDir: dataDir, region: region, accountId: accountId,
            maxConcurrency: maxConcurrency, logLevel: level,
            idleTimeout: .seconds(idleTimeout), freezeAfter: freezeAfter < 0 ? nil : .milliseconds(freezeAfter),
            isolation: IsolationRequest(rawValue: isolation) ?? .auto, asyncSpeedup: asyncSpeedup,
            maxSessionSeconds: maxSessionSeconds,
            functionNetwork: FunctionNetworkConfiguration(
                mode: FunctionNetworkConfiguration.Mode(rawValue: functionNetwork) ?? .nat,
                subnet: IPv4Subnet(parsing: functionSubnet) ?? FunctionNetworkConfiguration.defaultSubnet, bridge: bridgeName),
            pythonSDKDirectory: pythonSdkDir,
            http: HTTPIngressConfiguration(port: httpPort, domain: httpDomain, accessLog: httpAccessLog))
        config.logRetentionDays = logRetentionDays == 0 ? nil : logRetentionDays
        config.metricsToken = metricsToken
        config.xrayDaemonPort = xrayDaemonPort
        config.otlpEndpoint = otlpEndpoint
        config.stemCells = max(0, stemCells)
        config.initTimeout = .milliseconds(max(1, initTimeout))
        config.databaseURL = databaseUrl ?? ProcessInfo.processInfo.environment["SWIFTLET_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        config.nodeId = nodeId
        config.advertiseURL = advertiseUrl
        // Libraries that report through swift-metrics land on the same /metrics scrape.
        let metrics = PlatformMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        try await SwiftletServer(configuration: config, logger: logger, metrics: metrics).run()
    }
}

struct Runtimes: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the runtimes this host can run.")

    func run() throws {
        for runtime in HostRuntimeDiscovery.discover().runtimes {
            let detail = runtime.interpreter.map { "\($0) (\(runtime.version ?? "?"))" } ?? "bootstrap from the deployment package"
            print("\(runtime.identifier)\t\(detail)")
        }
    }
}
