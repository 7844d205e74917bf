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
    /// This node's id in its cluster (nil on the embedded store).
    public var node: String?
    /// Reads the live figures when the report is written.
    public var gauges: Gauges

    /// Figures that change while the server runs, read each time the report is encoded.
    public struct Gauges: Sendable {
        /// Size of the store on disk (database and write-ahead log), in bytes.
        public var storeBytes: @Sendable () -> Int64
        /// Function log lines dropped by the ingestion limit since the server started.
        public var logEventsDropped: @Sendable () -> Int
        /// True while the node of a cluster drains (or shuts down): `/health` then answers 503, so a load balancer
        /// stops sending it requests.
        public var draining: @Sendable () -> Bool

        public init(storeBytes: @escaping @Sendable () -> Int64 = { 0 }, logEventsDropped: @escaping @Sendable () -> Int = { 0 },
                    draining: @escaping @Sendable () -> Bool = { false }) {
            self.storeBytes = storeBytes
            self.logEventsDropped = logEventsDropped
            self.draining = draining
        }
    }

    public init(status: String = "ok", version: String, region: String, accountId: String, store: String,
                isolation: String, network: String, pythonSDK: String, runtimes: [String], gauges: Gauges = Gauges()) {
        self.status = status
        self.version = version
        self.region = region
        self.accountId = accountId
        self.store = store
        self.isolation = isolation
        self.network = network
        self.pythonSDK = pythonSDK
        self.runtimes = runtimes
        self.gauges = gauges
    }

    enum CodingKeys: String, CodingKey {
        case status, version, region, accountId, store, node, isolation, network, pythonSDK, runtimes, storeBytes, logEventsDropped
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(gauges.draining() ? "draining" : status, forKey: .status)
        try c.encode(version, forKey: .version)
        try c.encode(region, forKey: .region)
        try c.encode(accountId, forKey: .accountId)
        try c.encode(store, forKey: .store)
        try c.encodeIfPresent(node, forKey: .node)
        try c.encode(isolation, forKey: .isolation)
        try c.encode(network, forKey: .network)
        try c.encode(pythonSDK, forKey: .pythonSDK)
        try c.encode(runtimes, forKey: .runtimes)
        try c.encode(gauges.storeBytes(), forKey: .storeBytes)
        try c.encode(gauges.logEventsDropped(), forKey: .logEventsDropped)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(String.self, forKey: .status)
        version = try c.decode(String.self, forKey: .version)
        region = try c.decode(String.self, forKey: .region)
        accountId = try c.decode(String.self, forKey: .accountId)
        store = try c.decode(String.self, forKey: .store)
        node = try c.decodeIfPresent(String.self, forKey: .node)
        isolation = try c.decode(String.self, forKey: .isolation)
        network = try c.decode(String.self, forKey: .network)
        pythonSDK = try c.decode(String.self, forKey: .pythonSDK)
        runtimes = try c.decode([String].self, forKey: .runtimes)
        let bytes = try c.decodeIfPresent(Int64.self, forKey: .storeBytes) ?? 0
        let dropped = try c.decodeIfPresent(Int.self, forKey: .logEventsDropped) ?? 0
        gauges = Gauges(storeBytes: { bytes }, logEventsDropped: { dropped })
    }
}
