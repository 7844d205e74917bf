import Foundation

/// A deployment's routes in the order API Gateway prefers them, so the first that matches a request is the one
/// it selects: routes of only literal segments, then routes with path variables (a literal beats a variable at the
/// first segment where they differ), then greedy routes (the longest prefix first); for the same path a method
/// beats `ANY`; `$default` only when nothing else matches.
struct RouteTable: Sendable {
    struct Entry: Sendable {
        let key: RouteKey
        let match: RouteMatch
    }

    private let entries: [Entry]
    private let defaultRoute: RouteMatch?

    init(snapshot: DeploymentSnapshot) {
        var entries: [Entry] = []
        var defaultRoute: RouteMatch?
        for route in snapshot.routes {
            let match = Self.served(route, in: snapshot)
            if route.routeKey.isDefault { defaultRoute = match } else { entries.append(Entry(key: route.routeKey, match: match)) }
        }
        self.entries = entries.sorted { Self.precedes($0.key, $1.key) }
        self.defaultRoute = defaultRoute
    }

    /// The route for `method` and `path` (the path within the stage, percent-encoded as sent).
    func match(method: String, path: String) -> RouteMatch? {
        let raw = path.split(separator: "/", omittingEmptySubsequences: true)
        let segments = raw.map { $0.contains("%") ? ($0.removingPercentEncoding ?? String($0)) : String($0) }
        for entry in entries {
            guard entry.key.method == "ANY" || entry.key.method == method else { continue }
            if let parameters = Self.parameters(entry.key.segments, segments) {
                var match = entry.match
                match.pathParameters = parameters
                return match
            }
        }
        return defaultRoute
    }

    /// The path variables if `pattern` matches `segments`, else nil.
    private static func parameters(_ pattern: [RouteKey.Segment], _ segments: [String]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (index, part) in pattern.enumerated() {
            switch part {
            case .literal(let text):
                guard index < segments.count, segments[index] == text else { return nil }
            case .variable(let name):
                guard index < segments.count else { return nil }
                parameters[name] = segments[index]
            case .greedy(let name):
                guard index < segments.count else { return nil }
                parameters[name] = segments[index...].joined(separator: "/")
                return parameters
            }
        }
        return pattern.count == segments.count ? parameters : nil
    }

    /// Whether `a` is tried before `b`.
    static func precedes(_ a: RouteKey, _ b: RouteKey) -> Bool {
        let (ra, rb) = (rank(a), rank(b))
        if ra.kind != rb.kind { return ra.kind < rb.kind }
        if ra.kind == 2, ra.length != rb.length { return ra.length > rb.length }
        if ra.shape != rb.shape { return ra.shape.lexicographicallyPrecedes(rb.shape) }
        let (anyA, anyB) = (a.method == "ANY", b.method == "ANY")
        if anyA != anyB { return !anyA }
        return a.rawValue < b.rawValue
    }

    /// kind: 0 literal only, 1 with path variables, 2 greedy; length: segments; shape: per segment 0 literal,
    /// 1 variable, 2 greedy.
    private static func rank(_ key: RouteKey) -> (kind: Int, length: Int, shape: [Int]) {
        let shape = key.segments.map { segment -> Int in
            switch segment {
            case .literal: 0
            case .variable: 1
            case .greedy: 2
            }
        }
        return (shape.max() ?? 0, shape.count, shape)
    }

    private static func served(_ route: Route, in snapshot: DeploymentSnapshot) -> RouteMatch {
        let integration = route.integrationId
            .flatMap { id in snapshot.integrations.first { $0.integrationId == id } }
            .flatMap { integration in
                integration.functionArn.map {
                    ServedIntegration(functionArn: $0, payloadFormatVersion: integration.payloadFormatVersion,
                                      timeoutMillis: integration.timeoutInMillis, credentialsArn: integration.credentialsArn)
                }
            }
        var authorizer: ServedAuthorizer?
        if route.authorizationType == .custom, let id = route.authorizerId,
           let found = snapshot.authorizers.first(where: { $0.authorizerId == id }), let arn = found.functionArn {
            authorizer = ServedAuthorizer(
                id: found.authorizerId, functionArn: arn, identitySources: found.identitySource,
                payloadFormatVersion: found.authorizerPayloadFormatVersion ?? "2.0",
                enableSimpleResponses: found.enableSimpleResponses, resultTtlSeconds: found.authorizerResultTtlInSeconds)
        }
        return RouteMatch(routeKey: route.routeKey.rawValue, pathParameters: [:], integration: integration,
                          authorizationType: route.authorizationType.rawValue, authorizer: authorizer)
    }
}
