/// A `cidr` value: an IPv4 or IPv6 network (`10.0.0.0/24`, `2001:db8::/64`); an event's string matches when it is
/// an address of the same family inside the network.
struct CIDRBlock: Sendable, Equatable {
    let network: [UInt8]
    let prefixLength: Int

    init(parsing text: String) throws(EventPatternError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = Self.address(String(parts[0])), let length = Int(parts[1]),
              parts[1].allSatisfy(\.isASCII), length >= 0, length <= address.count * 8 else {
            throw EventPatternError("Malformed CIDR, one '/' required")
        }
        network = Self.masked(address, length)
        prefixLength = length
    }

    func contains(_ text: String) -> Bool {
        guard let address = Self.address(text), address.count == network.count else { return false }
        return Self.masked(address, prefixLength) == network
    }

    static func masked(_ address: [UInt8], _ length: Int) -> [UInt8] {
        address.enumerated().map { index, byte in
            let bits = max(0, min(8, length - index * 8))
            return bits == 8 ? byte : byte & ~(UInt8(0xFF) >> bits)
        }
    }

    /// The bytes of a dotted IPv4 or colon-separated IPv6 address (`::` and a trailing dotted quad included).
    static func address(_ text: String) -> [UInt8]? {
        if !text.contains(":") { return ipv4(Substring(text)) }
        return ipv6(text)
    }

    static func ipv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func ipv6(_ text: String) -> [UInt8]? {
        var halves: [String] = []
        var rest = Substring(text)
        while let range = rest.firstRange(of: "::") {
            halves.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        halves.append(String(rest))
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowQuad: Bool) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, item) in items.enumerated() {
                if allowQuad && i == items.count - 1 && item.contains(".") {
                    guard let quad = ipv4(item) else { return nil }
                    bytes += quad
                } else {
                    guard !item.isEmpty, item.count <= 4, let value = UInt16(item, radix: 16) else { return nil }
                    bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
                }
            }
            return bytes
        }
        if halves.count == 1 {
            guard let bytes = groups(halves[0], allowQuad: true), bytes.count == 16 else { return nil }
            return bytes
        }
        guard let head = groups(halves[0], allowQuad: false), let tail = groups(halves[1], allowQuad: true),
              head.count + tail.count <= 14 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
