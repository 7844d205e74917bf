import AWSProtocol

/// Each endpoint's own loopback address, a pure function of its id: `127.a.b.c` with `a` in 1…254, so an endpoint is
/// requestable as `http://127.a.b.c:<port>/` with no DNS, and `127.0.0.0/16` (where the host's own loopback
/// services live) is never used. Collisions are avoided when ids are drawn (`isAvailable`).
enum LoopbackAddress {
    static func of(_ kind: HTTPEndpointKind, id: String) -> String {
        // FNV-1a over the kind and id: stable across processes and releases (Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (kind.rawValue + ":" + id).utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let a = 1 + Int(hash % 254)
        let b = Int((hash >> 16) & 0xff)
        let c = Int((hash >> 24) & 0xff)
        return "127.\(a).\(b).\(c)"
    }

    /// Whether `address` is one of ours (loopback outside 127.0.0.0/16).
    static func isEndpointAddress(_ address: String) -> Bool {
        address.hasPrefix("127.") && !address.hasPrefix("127.0.")
    }
}
