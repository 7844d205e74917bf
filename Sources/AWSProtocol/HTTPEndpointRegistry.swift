/// What kind of HTTP endpoint an id names: a Lambda function URL (32-character url id) or an API Gateway HTTP API
/// (10-character api id).
public enum HTTPEndpointKind: String, Sendable, Hashable, Codable {
    case functionURL
    case httpAPI
}

/// Where function URLs and HTTP APIs are reached. Implemented by the HTTP ingress (`HTTPIngress`), which gives each
/// endpoint its own loopback address on the ingress port (so the URL is requestable with no DNS setup and the path
/// reaches the function unprefixed) and also routes by `Host` header under a configurable domain.
///
/// The services that store endpoints (Lambda's function URL configs, API Gateway's APIs) call it: they ask for a
/// free id, build the URL they return from it, and register/unregister the endpoint after their store write.
public protocol HTTPEndpointRegistry: Sendable {
    /// The URL clients use, ending in `/` (`http://127.a.b.c:<port>/`).
    func endpointURL(kind: HTTPEndpointKind, id: String) -> String
    /// The host name AWS would give the endpoint (`<id>.lambda-url.<region>.<domain>`,
    /// `<id>.execute-api.<region>.<domain>`), used as `domainName` in events and for Host routing.
    func domainName(kind: HTTPEndpointKind, id: String) -> String
    /// Whether a new endpoint may take `id` (its loopback address is not already someone else's).
    func isAvailable(kind: HTTPEndpointKind, id: String) -> Bool
    /// Makes the endpoint reachable (its listener exists when this returns). Called after the store write.
    func register(kind: HTTPEndpointKind, id: String) async throws
    /// Stops routing to the endpoint (and closes its listener). Called after the store delete.
    func unregister(kind: HTTPEndpointKind, id: String) async
}

/// A registry with no listener behind it (tests, servers started without the ingress): URLs name the AWS-shaped host.
public struct UnroutedEndpointRegistry: HTTPEndpointRegistry {
    public let region: String
    public let domain: String

    public init(region: String, domain: String = "localhost") {
        self.region = region
        self.domain = domain
    }

    public func endpointURL(kind: HTTPEndpointKind, id: String) -> String {
        "http://" + domainName(kind: kind, id: id) + "/"
    }

    public func domainName(kind: HTTPEndpointKind, id: String) -> String {
        switch kind {
        case .functionURL: "\(id).lambda-url.\(region).\(domain)"
        case .httpAPI: "\(id).execute-api.\(region).\(domain)"
        }
    }

    public func isAvailable(kind: HTTPEndpointKind, id: String) -> Bool { true }
    public func register(kind: HTTPEndpointKind, id: String) async throws {}
    public func unregister(kind: HTTPEndpointKind, id: String) async {}
}
