/// What `GET /health` tells: enough for an operator to see how this server runs.
public struct HealthReport: Codable, Sendable {
    public var status: String
    public var version: String
    public var region: String
    public var accountId: String
    public var store: String
    /// How execution environments are isolated on this host, and why when weaker than full.
    public var isolation: String
    /// How functions reach other networks (`nat …`, or `none` and why).
    public var network: String
    /// The AWS SDK for Python offered to Python functions (`boto3 1.43.11`), or why there is none.
    public var pythonSDK: String
    public var runtimes: [String]

    public init(status: String = "ok", version: String, region: String, accountId: String, store: String,
                isolation: String, network: String, pythonSDK: String, runtimes: [String]) {
        self.status = status
        self.version = version
        self.region = region
        self.accountId = accountId
        self.store = store
        self.isolation = isolation
        self.network = network
        self.pythonSDK = pythonSDK
        self.runtimes = runtimes
    }
}
