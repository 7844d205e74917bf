import Foundation
import FunctionNetwork
import Logging

/// Everything the server is configured with, built once from flags and the environment and passed down.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; the one chosen is logged and written to `<dataDir>/endpoint`.
    public var port: Int
    /// Absolute (a relative one given is resolved against the working directory when the configuration is made).
    public var dataDir: String
    public var region: String
    public var accountId: String
    /// Account concurrency limit reported by GetAccountSettings.
    public var maxConcurrency: Int
    public var logLevel: Logger.Level
    /// Idle execution environments are shut down after this long.
    public var idleTimeout: Duration
    /// Idle execution environments are frozen after this long (nil: never).
    public var freezeAfter: Duration?
    /// `auto` sandboxes when the host allows it, `sandbox` insists, `plain` runs plain processes.
    public var isolation: IsolationRequest
    /// Asynchronous retry delays and event ages run this many times faster (tests).
    public var asyncSpeedup: Double
    /// Caps the life of STS temporary credentials (nil: as requested).
    public var maxSessionSeconds: Int?
    /// How sandboxed functions reach other networks.
    public var functionNetwork: FunctionNetworkConfiguration
    /// Where `scripts/install-python-sdk` put the AWS SDK for Python offered to Python functions.
    public var pythonSDKDirectory: String
    /// Function URLs' and HTTP APIs' listener.
    public var http: HTTPIngressConfiguration
    /// When set, `GET /metrics` needs `Authorization: Bearer <token>` (nil: open to anyone who reaches the listener).
    public var metricsToken: String?
    /// The process environment (root credentials may come from it).
    public var environment: [String: String]
    /// Retention in days of the log groups the platform creates for functions (nil: never expire, AWS's default).
    public var logRetentionDays: Int? = nil
    /// The X-Ray daemon's UDP port on 127.0.0.1: a number (0: a free one) or `off`; nil: `SWIFTLET_XRAY_DAEMON_PORT`, else 2000.
    public var xrayDaemonPort: String? = nil
    /// An OTLP/HTTP collector the platform's spans are sent to; nil: `SWIFTLET_OTLP_ENDPOINT`, else none.
    public var otlpEndpoint: String? = nil
    /// Most stem cells (pre-started environments) kept ready per runtime; 0: every environment starts the classic way.
    public var stemCells = 4
    /// Lambda's limit on an on-demand environment's init (10 s); past it the init is tried again in the invoke phase.
    public var initTimeout: Duration = .seconds(10)
    /// The PostgreSQL database a cluster's nodes share (`postgresql://user@host:port/db`); nil: the embedded SQLite
    /// store in the data dir (`SWIFTLET_DATABASE_URL` when the flag is not given).
    public var databaseURL: String? = nil
    /// This node's name in the cluster (its leases, `swiftlet cluster status`); nil: the one kept in `<dataDir>/node-id`.
    public var nodeId: String? = nil
    /// How the cluster's other nodes and operators reach this node (`http://10.0.0.5:8900`); nil: the listener's address.
    public var advertiseURL: String? = nil

    public init(
        host: String = "127.0.0.1",
        port: Int = 8900,
        dataDir: String = ".swiftlet",
        region: String = "us-east-1",
        accountId: String = "000000000000",
        maxConcurrency: Int? = nil,
        logLevel: Logger.Level = .info,
        idleTimeout: Duration = .seconds(600),
        freezeAfter: Duration? = .milliseconds(50),
        isolation: IsolationRequest = .auto,
        asyncSpeedup: Double = 1,
        maxSessionSeconds: Int? = nil,
        functionNetwork: FunctionNetworkConfiguration = FunctionNetworkConfiguration(),
        pythonSDKDirectory: String = "/usr/local/lib/swiftlet/python-sdk",
        http: HTTPIngressConfiguration = HTTPIngressConfiguration(),
        metricsToken: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.host = host
        self.port = port
        // Absolute from the start: the paths made from it (code, layers) travel to launchers and mount namespaces that
        // do not share the server's working directory.
        self.dataDir = URL(fileURLWithPath: dataDir).standardizedFileURL.path
        self.region = region
        self.accountId = accountId
        self.maxConcurrency = maxConcurrency ?? Self.defaultConcurrency()
        self.logLevel = logLevel
        self.idleTimeout = idleTimeout
        self.freezeAfter = freezeAfter
        self.isolation = isolation
        self.asyncSpeedup = asyncSpeedup
        self.maxSessionSeconds = maxSessionSeconds
        self.functionNetwork = functionNetwork
        self.pythonSDKDirectory = pythonSDKDirectory
        self.http = http
        self.metricsToken = metricsToken
        self.environment = environment
    }

    /// One 128 MB environment per 256 MB of host memory, between 10 and 1000.
    public static func defaultConcurrency() -> Int {
        let bytes = ProcessInfo.processInfo.physicalMemory
        return max(10, min(1000, Int(bytes / (256 * 1024 * 1024))))
    }
}

/// Where function URLs and HTTP APIs answer (on `host`, like the API).
public struct HTTPIngressConfiguration: Sendable {
    /// 0 picks a free port.
    public var port: Int
    /// Host routing domain: `<id>.lambda-url.<region>.<domain>`, `<id>.execute-api.<region>.<domain>`.
    public var domain: String
    /// One log line per request.
    public var accessLog: Bool

    public init(port: Int = 8910, domain: String = "localhost", accessLog: Bool = false) {
        self.port = port
        self.domain = domain
        self.accessLog = accessLog
    }
}

/// How the operator asked environments to be isolated.
public enum IsolationRequest: String, Sendable, CaseIterable {
    case auto
    case sandbox
    case plain
}
