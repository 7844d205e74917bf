import AWSProtocol
import Auth
import Catalog
import Foundation
import HTTPAPIs
import Identity
import Invoker
import Synchronization

/// Answers requests to HTTP APIs: the stage and route (API Gateway's selection rules), CORS, the route's authorizer,
/// the Lambda proxy integration with payload format 1.0 or 2.0, and API Gateway's own error answers
/// (404 `Not Found`, 401 `Unauthorized`, 403 `Forbidden`, 500/502 `Internal Server Error`, 504 on the integration timeout).
struct HTTPAPIEndpoints: EndpointHandler {
    /// API Gateway's payload limit for HTTP APIs.
    static let maxEventBytes = 10 * 1024 * 1024

    let directory: HTTPAPIDirectory
    let invoking: FunctionInvoking
    let authorizer: Identity.Authorizer
    let verifier: SigV4Verifier
    let lambdaAuthorizers: LambdaAuthorizers
    let registry: any HTTPEndpointRegistry
    let accountId: String
    let region: String

    func respond(to request: IngressRequest, id: String) async -> IngressResponse {
        let response = await answer(request, apiId: id)
        switch response {
        case .buffered(let status, var headers, let body):
            headers.append(("apigw-requestid", request.requestId))
            return .buffered(status: status, headers: headers, body: body)
        case .streamed(let status, var headers, let body):
            headers.append(("apigw-requestid", request.requestId))
            return .streamed(status: status, headers: headers, body: body)
        }
    }

    private func answer(_ request: IngressRequest, apiId: String) async -> IngressResponse {
        guard let api = try? await directory.served(apiId: apiId) else { return .message(404, "Not Found") }
        // DisableExecuteApiEndpoint: the default endpoint refuses every request.
        if api.disableExecuteApiEndpoint { return .message(403, "Forbidden") }
        let cors = api.cors.map(CorsRules.init)
        if let cors, CorsRules.isPreflight(request) {
            return .buffered(status: 204, headers: cors.preflightHeaders(request), body: [])
        }
        let origin = request.header("origin")
        func withCors(_ response: IngressResponse) -> IngressResponse {
            guard let cors, case .buffered(let status, let headers, let body) = response else { return response }
            return .buffered(status: status, headers: cors.applied(to: headers, origin: origin), body: body)
        }
        guard let (stage, path) = api.stage(for: request.rawPath),
              let match = stage.match(method: request.method, path: path) else {
            return withCors(.message(404, "Not Found"))
        }
        // A route without a target is answered as no route.
        guard let integration = match.integration else { return withCors(.message(404, "Not Found")) }
        let facts = RequestFacts(request)
        let domain = registry.domainName(kind: .httpAPI, id: apiId)
        let executeApi = "arn:aws:execute-api:\(region):\(accountId):\(apiId)/\(stage.name)"
        // What authorizers and IAM see: the request's own method and path.
        let routeArn = "\(executeApi)/\(request.method)\(path)"
        // What the function policy sees as aws:SourceArn: the route (`…/GET/items/{id}`, `…/$default`).
        let sourceArn = match.routeKey == "$default" ? "\(executeApi)/$default"
            : "\(executeApi)/\(request.method)\(Self.routePath(match.routeKey))"
        let route = RouteContext(request: request, facts: facts, apiId: apiId, stage: stage, match: match, routeArn: routeArn,
                                 domainName: domain)

        // The route's authorization.
        var authorizerContext: AuthorizerOutcome.Context?
        switch match.authorizationType {
        case "CUSTOM":
            guard let configured = match.authorizer else { return withCors(.message(500, "Internal Server Error")) }
            switch await lambdaAuthorizers.authorize(route, configured, invoking: invoking, resourcePolicies: authorizer) {
            case .allow(let context): authorizerContext = context
            case .deny: return withCors(.message(403, "Forbidden"))
            case .unauthorized: return withCors(.message(401, "Unauthorized"))
            case .failed: return withCors(.message(500, "Internal Server Error"))
            }
        case "AWS_IAM":
            guard iamAllows(request, routeArn: routeArn) else { return withCors(.message(403, "Forbidden")) }
        case "JWT":
            // JWT authorizers are stored but not verified by this server (README): refuse rather than let through.
            return withCors(.message(401, "Unauthorized"))
        default:
            break
        }

        // The integration.
        let payload: Data?
        if integration.payloadFormatVersion == "1.0" {
            payload = try? AWSJSON.encoder().encode(PayloadV1Event(
                request: request, facts: facts, resource: match.routeKey == "$default" ? "$default" : Self.routePath(match.routeKey),
                stage: stage.name, apiId: apiId, accountId: accountId, domainName: domain, pathParameters: match.pathParameters,
                stageVariables: stage.stageVariables, authorizer: authorizerContext?.v1))
        } else {
            payload = try? AWSJSON.encoder().encode(PayloadV2Event(
                request: request, facts: facts, routeKey: match.routeKey, stage: stage.name, apiId: apiId, accountId: accountId,
                domainName: domain, pathParameters: match.pathParameters, stageVariables: stage.stageVariables,
                authorizer: authorizerContext.map { PayloadV2Event.Authorizer(lambda: $0.v2) }))
        }
        guard let payload, payload.count <= Self.maxEventBytes else { return withCors(.message(413, "Request Entity Too Large")) }
        let prepared: InvocationRequest
        do throws(FunctionInvoking.Failure) {
            prepared = try await invoking.prepare(integration.functionArn, qualifier: nil, payload: Array(payload),
                                                  requestId: request.requestId)
        } catch {
            return withCors(.message(500, "Internal Server Error"))
        }
        guard await mayInvoke(prepared, integration: integration, sourceArn: sourceArn) else {
            return withCors(.message(500, "Internal Server Error"))
        }
        let outcome = await invoke(prepared, timeoutMillis: integration.timeoutMillis)
        switch outcome {
        case .timedOut:
            return withCors(.message(504, "Service Unavailable"))
        case .failed:
            return withCors(.message(500, "Internal Server Error"))
        case .finished(let result):
            if result.functionError != nil { return withCors(.message(502, "Internal Server Error")) }
            let mapped = integration.payloadFormatVersion == "1.0" ? ProxyResponse.v1(result.payload) : ProxyResponse.v2(result.payload)
            guard let mapped else { return withCors(.message(502, "Internal Server Error")) }
            return withCors(.buffered(status: mapped.status, headers: mapped.headers, body: mapped.body))
        }
    }

    /// `GET /items/{id}` → `/items/{id}`.
    static func routePath(_ routeKey: String) -> String {
        routeKey.split(separator: " ", maxSplits: 1).last.map(String.init) ?? routeKey
    }

    /// API Gateway may invoke the function: its resource policy allows `apigateway.amazonaws.com` for this source
    /// ARN, or the integration's credentials role may invoke it.
    private func mayInvoke(_ prepared: InvocationRequest, integration: ServedIntegration, sourceArn: String) async -> Bool {
        let arn = prepared.invokedFunctionArn
        if let role = integration.credentialsArn {
            // API Gateway assumes the role: it must trust API Gateway, and its policies must allow the invoke.
            guard authorizer.serviceCanAssume("apigateway.amazonaws.com", roleArn: role) else { return false }
            return authorizer.rolePermits(roleArn: role, sessionName: "apigateway",
                                          RequiredPermission(action: "lambda:InvokeFunction", resource: arn))
        }
        return await invoking.serviceMayInvoke(prepared, principal: "apigateway.amazonaws.com", sourceArn: sourceArn,
                                               accountId: accountId, authorizer: authorizer)
    }
}

extension FunctionInvoking {
    /// Whether the function's resource policy lets the AWS service `principal` invoke it from `sourceArn`.
    func serviceMayInvoke(_ prepared: InvocationRequest, principal: String, sourceArn: String, accountId: String,
                          authorizer: Identity.Authorizer) async -> Bool {
        let arn = prepared.invokedFunctionArn
        let parts = arn.split(separator: ":")
        let qualifier = parts.count > 7 ? String(parts[7]) : nil
        let policy = await catalog.resourcePolicyJSON(function: prepared.function.name, qualifier: qualifier)
        return authorizer.resourcePolicyPermitsService("apigateway.amazonaws.com", RequiredPermission(
            action: "lambda:InvokeFunction", resource: arn,
            context: ["aws:SourceArn": [sourceArn], "aws:SourceAccount": [accountId]], resourcePolicy: policy))
    }
}

extension HTTPAPIEndpoints {

    /// An `AWS_IAM` route: a SigV4 signature for `execute-api` whose signer may `execute-api:Invoke` the route.
    private func iamAllows(_ request: IngressRequest, routeArn: String) -> Bool {
        let signable = request.signable
        do {
            let verified = try verifier.verify(signable, service: "execute-api")
            var caller = try authorizer.caller(verified)
            guard caller.needsAuthorization else { return true }
            caller.requestContext = ["aws:SourceIp": [request.sourceIp], "aws:SecureTransport": ["false"]]
            try authorizer.authorize(caller, RequiredPermission(action: "execute-api:Invoke", resource: routeArn))
            return true
        } catch {
            return false
        }
    }

    enum Outcome: Sendable {
        case finished(InvocationResult)
        case timedOut
        case failed
    }

    /// Runs the invocation, giving up (but letting it finish in the background) after the integration's timeout.
    private func invoke(_ prepared: InvocationRequest, timeoutMillis: Int) async -> Outcome {
        let invoking = self.invoking
        // A function that times out first needs no race.
        if prepared.function.timeout * 1000 <= timeoutMillis {
            do { return .finished(try await invoking.invoke(prepared)) } catch { return .failed }
        }
        let once = FirstAnswer()
        return await withCheckedContinuation { continuation in
            once.wait(continuation)
            let timer = Task {
                try await Task.sleep(for: .milliseconds(timeoutMillis))
                once.answer(.timedOut)
            }
            Task {
                let outcome: Outcome
                do { outcome = .finished(try await invoking.invoke(prepared)) } catch { outcome = .failed }
                timer.cancel()
                once.answer(outcome)
            }
        }
    }
}

/// The first of several racing answers resumes the waiter; later ones are dropped.
final class FirstAnswer: Sendable {
    private let waiter = Mutex<CheckedContinuation<HTTPAPIEndpoints.Outcome, Never>?>(nil)

    func wait(_ continuation: CheckedContinuation<HTTPAPIEndpoints.Outcome, Never>) {
        waiter.withLock { $0 = continuation }
    }

    func answer(_ outcome: HTTPAPIEndpoints.Outcome) {
        waiter.withLock { $0.take() }?.resume(returning: outcome)
    }
}

/// What a route's request is, for authorizers and ARNs.
struct RouteContext: Sendable {
    var request: IngressRequest
    var facts: RequestFacts
    var apiId: String
    var stage: ServedStage
    var match: RouteMatch
    var routeArn: String
    var domainName: String
}

extension CorsRules {
    init(_ cors: CorsConfiguration) {
        self.init(allowOrigins: cors.allowOrigins ?? [], allowMethods: cors.allowMethods ?? [],
                  allowHeaders: cors.allowHeaders ?? [], exposeHeaders: cors.exposeHeaders ?? [], maxAge: cors.maxAge,
                  allowCredentials: cors.allowCredentials ?? false)
    }
}
