import AWSProtocol
import AccessPolicies
import Foundation
import HTTPAPIs
import Identity
import Invoker
import Synchronization

/// What a REQUEST authorizer decided.
enum AuthorizerOutcome: Sendable {
    /// The context the authorizer returned, passed on to the integration.
    struct Context: Sendable {
        var values: [String: JSONValue]
        var principalId: String?

        /// `requestContext.authorizer.lambda` (payload 2.0).
        var v2: [String: JSONValue] { values }

        /// `requestContext.authorizer` (payload 1.0): the context's keys beside `principalId`.
        var v1: JSONValue {
            var object = values
            if let principalId { object["principalId"] = .string(principalId) }
            return .object(object)
        }
    }

    case allow(Context)
    case deny
    /// An identity source is missing: 401 without invoking the authorizer.
    case unauthorized
    /// The authorizer could not be invoked or answered nonsense: 500.
    case failed
}

/// Lambda REQUEST authorizers of HTTP APIs: identity sources, the 1.0/2.0 events, simple and IAM-policy responses,
/// and the result cache (per authorizer and identity, for `AuthorizerResultTtlInSeconds`).
final class LambdaAuthorizers: Sendable {
    private struct Cached: Sendable {
        var expires: ContinuousClock.Instant
        var response: AuthorizerResponse
    }

    /// An authorizer's answer as cached: a policy is re-evaluated for each route it is used for.
    enum AuthorizerResponse: Sendable {
        case simple(isAuthorized: Bool, context: [String: JSONValue])
        case policy(Policy, principalId: String?, context: [String: JSONValue])
    }

    private let cache = Mutex<[String: Cached]>([:])
    let accountId: String
    let region: String

    init(accountId: String, region: String) {
        self.accountId = accountId
        self.region = region
    }

    func authorize(_ route: RouteContext, _ configured: ServedAuthorizer, invoking: FunctionInvoking,
                   resourcePolicies: Identity.Authorizer) async -> AuthorizerOutcome {
        var identity: [String] = []
        for source in configured.identitySources {
            guard let value = Self.identityValue(source, route: route), !value.isEmpty else { return .unauthorized }
            identity.append(value)
        }
        // Keyed by the deployment too: a redeployed (or changed) authorizer does not inherit old answers.
        let cacheKey = [route.apiId, route.stage.deploymentId, configured.id, configured.functionArn].joined(separator: "\u{0}")
            + "\u{1}" + identity.joined(separator: "\u{0}")
        let caching = configured.resultTtlSeconds > 0 && !configured.identitySources.isEmpty
        let now = ContinuousClock.now
        var response: AuthorizerResponse?
        if caching {
            response = cache.withLock { cache in
                guard let hit = cache[cacheKey] else { return nil }
                if hit.expires <= now { cache[cacheKey] = nil; return nil }
                return hit.response
            }
        }
        if response == nil {
            response = await invoke(route, configured, identity: identity, invoking: invoking, resourcePolicies: resourcePolicies)
            guard let fresh = response else { return .failed }
            if caching {
                cache.withLock { cache in
                    if cache.count >= 10_000 { cache.removeAll(keepingCapacity: true) }
                    cache[cacheKey] = Cached(expires: now + .seconds(configured.resultTtlSeconds), response: fresh)
                }
            }
        }
        switch response! {
        case .simple(let isAuthorized, let context):
            return isAuthorized ? .allow(.init(values: context, principalId: nil)) : .deny
        case .policy(let policy, let principalId, let context):
            let principal = RequestPrincipal(kind: .anonymous, arn: "*", accountId: accountId, roleArn: nil, serviceName: nil,
                                             userId: principalId ?? "", username: nil)
            let request = AuthorizationRequest(principal: principal, action: "execute-api:Invoke", resource: route.routeArn)
            guard PolicyEvaluator.evaluate(request, identityPolicies: [policy], resourcePolicy: nil) == .allow else { return .deny }
            return .allow(.init(values: context, principalId: principalId))
        }
    }

    /// `$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`.
    static func identityValue(_ source: String, route: RouteContext) -> String? {
        let parts = source.split(separator: ".", maxSplits: 2).map(String.init)
        switch (parts.first, parts.count) {
        case ("$request", 3) where parts[1] == "header":
            return route.facts.headers[parts[2].lowercased()]
        case ("$request", 3) where parts[1] == "querystring":
            return route.facts.query[parts[2]]
        case ("$stageVariables", 2):
            return route.stage.stageVariables[parts[1]]
        case ("$context", 2):
            switch parts[1] {
            case "requestId": return route.request.requestId
            case "routeKey": return route.match.routeKey
            case "stage": return route.stage.name
            case "apiId": return route.apiId
            case "domainName": return route.domainName
            case "identity.sourceIp", "sourceIp": return route.request.sourceIp
            default: return nil
            }
        default:
            return nil
        }
    }

    private func invoke(_ route: RouteContext, _ configured: ServedAuthorizer, identity: [String], invoking: FunctionInvoking,
                        resourcePolicies: Identity.Authorizer) async -> AuthorizerResponse? {
        let payload: Data?
        if configured.payloadFormatVersion == "1.0" {
            var event = PayloadV1Event(
                request: route.request, facts: route.facts,
                resource: route.match.routeKey == "$default" ? "$default" : HTTPAPIEndpoints.routePath(route.match.routeKey),
                stage: route.stage.name, apiId: route.apiId, accountId: accountId, domainName: route.domainName,
                pathParameters: route.match.pathParameters, stageVariables: route.stage.stageVariables, authorizer: nil)
            event.type = "REQUEST"
            event.methodArn = route.routeArn
            event.identitySource = identity.joined(separator: ",")
            payload = try? AWSJSON.encoder().encode(event)
        } else {
            var event = PayloadV2Event(
                request: route.request, facts: route.facts, routeKey: route.match.routeKey, stage: route.stage.name,
                apiId: route.apiId, accountId: accountId, domainName: route.domainName,
                pathParameters: route.match.pathParameters, stageVariables: route.stage.stageVariables, includeBody: false)
            event.type = "REQUEST"
            event.routeArn = route.routeArn
            event.identitySource = identity
            payload = try? AWSJSON.encoder().encode(event)
        }
        guard let payload,
              let prepared = try? await invoking.prepare(configured.functionArn, qualifier: nil, payload: Array(payload),
                                                         requestId: UUID().uuidString.lowercased()) else { return nil }
        let sourceArn = "arn:aws:execute-api:\(region):\(accountId):\(route.apiId)/authorizers/\(configured.id)"
        guard await invoking.serviceMayInvoke(prepared, principal: "apigateway.amazonaws.com", sourceArn: sourceArn,
                                              accountId: accountId, authorizer: resourcePolicies),
              let result = try? await invoking.invoke(prepared), result.functionError == nil else { return nil }
        return Self.parse(result.payload, simple: configured.payloadFormatVersion == "2.0" && configured.enableSimpleResponses)
    }

    /// A simple response `{"isAuthorized": …, "context": {…}}` or an IAM policy response
    /// `{"principalId": …, "policyDocument": {…}, "context": {…}}`.
    static func parse(_ payload: [UInt8], simple: Bool) -> AuthorizerResponse? {
        guard case .object(let object)? = JSONValue(parsing: payload) else { return nil }
        var context: [String: JSONValue] = [:]
        if case .object(let values)? = object["context"] { context = values }
        if simple {
            guard case .bool(let authorized)? = object["isAuthorized"] else { return nil }
            return .simple(isAuthorized: authorized, context: context)
        }
        guard let document = object["policyDocument"], let data = try? JSONEncoder().encode(document),
              let policy = try? Policy(json: String(decoding: data, as: UTF8.self), kind: .identity) else { return nil }
        return .policy(policy, principalId: object["principalId"]?.stringValue, context: context)
    }
}
