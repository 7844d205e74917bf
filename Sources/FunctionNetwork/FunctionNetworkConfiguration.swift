/// How functions reach other networks.
public struct FunctionNetworkConfiguration: Sendable, Equatable {
    public enum Mode: String, Sendable, Equatable {
        /// Each environment gets a veth on Swiftlet's bridge; traffic to other networks is masqueraded.
        case nat
        /// Loopback only (the Runtime API and Swiftlet's endpoint).
        case none
    }

    public var mode: Mode
    /// Environments' addresses; the bridge takes the first one. Defaults to a range no LAN or Docker uses
    /// (198.18.0.0/15 is set aside for benchmarking networks).
    public var subnet: IPv4Subnet
    /// The bridge's name, also the prefix of everything this server creates (namespaces, veths, the nft table).
    public var bridge: String

    public static let defaultSubnet = IPv4Subnet(parsing: "198.18.0.0/16")!
    public static let defaultBridge = "swiftlet0"

    public init(mode: Mode = .nat, subnet: IPv4Subnet = Self.defaultSubnet, bridge: String = Self.defaultBridge) {
        self.mode = mode
        self.subnet = subnet
        self.bridge = bridge
    }
}
