import AWSProtocol
import Synchronization

/// Which endpoint a request is for: by the loopback address it arrived on, else by its `Host` header
/// (`<id>.lambda-url.<region>.<domain>`, `<id>.execute-api.<region>.<domain>`).
final class EndpointTable: Sendable {
    struct Endpoint: Sendable, Hashable {
        var kind: HTTPEndpointKind
        var id: String
    }

    private let byAddress = Mutex<[String: Endpoint]>([:])
    let region: String
    let domain: String

    init(region: String, domain: String) {
        self.region = region
        self.domain = domain.lowercased()
    }

    func add(_ endpoint: Endpoint) -> String {
        let address = LoopbackAddress.of(endpoint.kind, id: endpoint.id)
        byAddress.withLock { $0[address] = endpoint }
        return address
    }

    func remove(_ endpoint: Endpoint) -> String? {
        let address = LoopbackAddress.of(endpoint.kind, id: endpoint.id)
        return byAddress.withLock { table in
            guard table[address] == endpoint else { return nil }
            table[address] = nil
            return address
        }
    }

    /// The ids of every endpoint of `kind` in the table.
    func ids(of kind: HTTPEndpointKind) -> Set<String> {
        byAddress.withLock { Set($0.values.filter { $0.kind == kind }.map(\.id)) }
    }

    func isFree(_ endpoint: Endpoint) -> Bool {
        let address = LoopbackAddress.of(endpoint.kind, id: endpoint.id)
        return byAddress.withLock { $0[address] == nil || $0[address] == endpoint }
    }

    /// The endpoint for a request that arrived on `localAddress` with `host`.
    func endpoint(localAddress: String?, host: String?) -> Endpoint? {
        if let localAddress, LoopbackAddress.isEndpointAddress(localAddress),
           let endpoint = byAddress.withLock({ $0[localAddress] }) {
            return endpoint
        }
        guard let host else { return nil }
        return Self.parseHost(host, region: region, domain: domain)
    }

    /// `<id>.lambda-url.<region>.<domain>[:port]` or `<id>.execute-api.<region>.<domain>[:port]`.
    static func parseHost(_ host: String, region: String, domain: String) -> Endpoint? {
        var name = host.lowercased()
        if let colon = name.lastIndex(of: ":"), !name.contains("]") { name = String(name[..<colon]) }
        if name.hasSuffix(".") { name.removeLast() }
        for (kind, label) in [(HTTPEndpointKind.functionURL, "lambda-url"), (.httpAPI, "execute-api")] {
            let suffix = ".\(label).\(region).\(domain)"
            guard name.hasSuffix(suffix) else { continue }
            let id = String(name.dropLast(suffix.count))
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
            return Endpoint(kind: kind, id: id)
        }
        return nil
    }
}
