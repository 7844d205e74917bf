/// An IPv4 or IPv6 CIDR block of an `IpAddress` condition (`203.0.113.0/24`, `2001:DB8:1234:5678::/64`; a bare
/// address is a /32 or /128), and the address parser used for request values.
struct IPAddressRange: Sendable, Equatable {
    /// An address as 128 bits; IPv4 addresses use the low 32 bits of `low`.
    struct Address: Equatable {
        var isV6: Bool
        var high: UInt64
        var low: UInt64
    }

    let network: Address
    let prefixLength: Int

    init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Self.parseRange($0) }) else { return nil }
        (network, prefixLength) = parsed
    }

    func contains(_ address: Address) -> Bool {
        guard address.isV6 == network.isV6 else { return false }
        return Self.masked(address, prefixLength) == network
    }

    /// A request's `aws:SourceIp` value; an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) counts as IPv4.
    static func address(_ text: String) -> Address? {
        var text = text
        guard let address = text.withUTF8({ parseAddress($0) }) else { return nil }
        if address.isV6, address.high == 0, address.low >> 32 == 0xFFFF {
            return Address(isV6: false, high: 0, low: address.low & 0xFFFF_FFFF)
        }
        return address
    }

    private static func parseRange(_ b: UnsafeBufferPointer<UInt8>) -> (Address, Int)? {
        let slash = b.firstIndex(of: UInt8(ascii: "/")) ?? b.count
        guard let address = parseAddress(UnsafeBufferPointer(rebasing: b[0..<slash])) else { return nil }
        let maximum = address.isV6 ? 128 : 32
        var prefix = maximum
        if slash < b.count {
            let digits = b[(slash + 1)...]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            prefix = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
            guard prefix <= maximum else { return nil }
        }
        return (masked(address, prefix), prefix)
    }

    private static func masked(_ a: Address, _ prefix: Int) -> Address {
        if !a.isV6 {
            let mask: UInt64 = prefix == 0 ? 0 : (0xFFFF_FFFF << UInt64(32 - prefix)) & 0xFFFF_FFFF
            return Address(isV6: false, high: 0, low: a.low & mask)
        }
        let highMask: UInt64 = prefix >= 64 ? .max : (prefix == 0 ? 0 : .max << UInt64(64 - prefix))
        let lowMask: UInt64 = prefix <= 64 ? 0 : (prefix == 128 ? .max : .max << UInt64(128 - prefix))
        return Address(isV6: true, high: a.high & highMask, low: a.low & lowMask)
    }

    static func parseAddress(_ b: UnsafeBufferPointer<UInt8>) -> Address? {
        if b.contains(UInt8(ascii: ":")) { return parseV6(b) }
        guard let v4 = parseV4(b) else { return nil }
        return Address(isV6: false, high: 0, low: UInt64(v4))
    }

    private static func parseV4(_ b: UnsafeBufferPointer<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octet = 0, digits = 0, dots = 0
        for byte in b {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | UInt32(octet)
                octet = 0
                digits = 0
                dots += 1
            } else if byte >= 48, byte <= 57 {
                octet = octet * 10 + Int(byte - 48)
                digits += 1
                guard octet <= 255, digits <= 3 else { return nil }
            } else {
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return value << 8 | UInt32(octet)
    }

    /// Eight 16-bit groups, `::` for a run of zero groups, an optional dotted IPv4 tail.
    private static func parseV6(_ b: UnsafeBufferPointer<UInt8>) -> Address? {
        var head: [UInt16] = [], tail: [UInt16] = []
        var seenGap = false
        var at = 0
        if b.count >= 2, b[0] == UInt8(ascii: ":"), b[1] == UInt8(ascii: ":") {
            seenGap = true
            at = 2
        } else if b.first == UInt8(ascii: ":") {
            return nil
        }
        while at < b.count {
            let end = b[at...].firstIndex(of: UInt8(ascii: ":")) ?? b.count
            let group = UnsafeBufferPointer(rebasing: b[at..<end])
            if end == b.count, group.contains(UInt8(ascii: ".")) {
                guard let v4 = parseV4(group) else { return nil }
                let pair = [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                if seenGap { tail += pair } else { head += pair }
                at = end
                break
            }
            guard !group.isEmpty, group.count <= 4 else { return nil }
            var value: UInt16 = 0
            for byte in group {
                guard let digit = hexDigit(byte) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            if seenGap { tail.append(value) } else { head.append(value) }
            at = end
            if at < b.count {
                at += 1
                if at < b.count, b[at] == UInt8(ascii: ":") {
                    guard !seenGap else { return nil }
                    seenGap = true
                    at += 1
                } else if at == b.count {
                    return nil
                }
            }
        }
        let count = head.count + tail.count
        guard seenGap ? count < 8 : count == 8 else { return nil }
        let groups = head + Array(repeating: 0, count: 8 - count) + tail
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<4 { high = high << 16 | UInt64(groups[i]) }
        for i in 4..<8 { low = low << 16 | UInt64(groups[i]) }
        return Address(isV6: true, high: high, low: low)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}
