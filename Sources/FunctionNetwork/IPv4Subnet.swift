/// An IPv4 network in CIDR form, and the addresses in it.
public struct IPv4Subnet: Sendable, Equatable, CustomStringConvertible {
    public let network: UInt32
    public let prefixLength: Int

    public init?(parsing text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let length = Int(parts[1]), (8...30).contains(length),
              let address = Self.address(String(parts[0])) else { return nil }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
        guard address & mask == address else { return nil }
        network = address
        prefixLength = length
    }

    /// How many environment addresses it holds (the network, the bridge's and the broadcast address excluded).
    public var capacity: Int { (1 << (32 - prefixLength)) - 3 }

    /// The bridge's address: the first one.
    public var gateway: String { Self.text(network + 1) }

    /// The `index`-th environment address (0-based), after the bridge's.
    public func host(_ index: Int) -> String { Self.text(network + 2 + UInt32(index)) }

    public var description: String { "\(Self.text(network))/\(prefixLength)" }

    static func address(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let byte = UInt8(octet), String(byte) == octet else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    static func text(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }
}
