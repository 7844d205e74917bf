import AWSProtocol
import Auth
import Catalog
import Foundation
import Identity
import Invoker

/// Answers requests to function URLs: the URL's auth type (`NONE`: the function policy must allow anyone;
/// `AWS_IAM`: a SigV4 signature for `lambda` and the caller's policies), CORS, the payload 2.0 event, the invocation
/// (buffered or streamed) and the mapping of its result to HTTP.
struct FunctionURLEndpoints: EndpointHandler {
    /// Lambda's synchronous payload limit, which the event (not just the body) must fit.
    static let maxEventBytes = 6 * 1024 * 1024

    let invoking: FunctionInvoking
    let authorizer: Identity.Authorizer
    let verifier: SigV4Verifier
    let registry: any HTTPEndpointRegistry
    let accountId: String
    let region: String

    var catalog: FunctionCatalog { invoking.catalog }

    func respond(to request: IngressRequest, id: String) async -> IngressResponse {
        guard let config = try? await catalog.functionURL(id: id) else {
            return .message(404, key: "Message", "Not Found")
        }
        let cors = config.cors.map(CorsRules.init)
        if let cors, CorsRules.isPreflight(request) {
            return .buffered(status: 200, headers: cors.preflightHeaders(request), body: [])
        }
        let iam: PayloadV2Event.IAMAuthorizer?
        do {
            iam = try await authorize(request, config: config)
        } catch {
            return .message(403, key: "Message", "Forbidden")
        }
        let facts = RequestFacts(request)
        let domain = registry.domainName(kind: .functionURL, id: id)
        let event = PayloadV2Event(request: request, facts: facts, routeKey: "$default", stage: "$default", apiId: id,
                                   accountId: accountId, domainName: domain,
                                   authorizer: iam.map { PayloadV2Event.Authorizer(iam: $0) })
        guard let payload = try? AWSJSON.encoder().encode(event), payload.count <= Self.maxEventBytes else {
            return .message(413, key: "Message", "Request must be smaller than \(Self.maxEventBytes) bytes for the InvokeFunction operation")
        }
        var prepared: InvocationRequest
        do throws(FunctionInvoking.Failure) {
            prepared = try await invoking.prepare(config.functionName, qualifier: config.qualifier, payload: Array(payload),
                                                  requestId: request.requestId)
        } catch {
            return failure(error)
        }
        // The event's `x-amzn-trace-id` (the caller's, or the Root the front end generated) is the trace it runs in.
        prepared.traceId = facts.headers["x-amzn-trace-id"]
        let response: IngressResponse
        if config.invokeMode == "RESPONSE_STREAM" {
            response = await streamed(prepared)
        } else {
            response = await buffered(prepared)
        }
        return withHeaders(response, requestId: request.requestId, cors: cors, origin: request.header("origin"))
    }

    private func buffered(_ prepared: InvocationRequest) async -> IngressResponse {
        let result: InvocationResult
        do throws(FunctionInvoking.Failure) {
            result = try await invoking.invoke(prepared)
        } catch {
            return failure(error)
        }
        if result.functionError != nil {
            return Self.functionFailed(result.payload)
        }
        guard let mapped = ProxyResponse.v2(result.payload) else {
            return .message(502, key: "Message", "Internal Server Error")
        }
        return .buffered(status: mapped.status, headers: mapped.headers, body: mapped.body)
    }

    /// A function error is a 502; a timeout a 504.
    static func functionFailed(_ payload: [UInt8]) -> IngressResponse {
        if FunctionInvoking.errorType(payload) == "Sandbox.Timedout" {
            return .message(504, key: "Message", "Gateway Timeout")
        }
        return .message(502, key: "Message", "Internal Server Error")
    }

    func failure(_ error: FunctionInvoking.Failure) -> IngressResponse {
        switch error {
        case .throttled: .message(429, key: "Message", "Rate Exceeded.")
        case .notFound: .message(404, key: "Message", "Not Found")
        case .refused: .message(502, key: "Message", "Internal Server Error")
        }
    }

    private func withHeaders(_ response: IngressResponse, requestId: String, cors: CorsRules?, origin: String?) -> IngressResponse {
        func decorate(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
            var result = cors?.applied(to: headers, origin: origin) ?? headers
            result.append(("x-amzn-RequestId", requestId))
            return result
        }
        switch response {
        case .buffered(let status, let headers, let body):
            return .buffered(status: status, headers: decorate(headers), body: body)
        case .streamed(let status, let headers, let body):
            return .streamed(status: status, headers: decorate(headers), body: body)
        }
    }

    // MARK: Authorization

    private struct Denied: Error {}

    /// Checks the URL's auth type; for `AWS_IAM`, who signed (for `requestContext.authorizer.iam`).
    /// Since October 2025 AWS requires both `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` (the latter with
    /// `lambda:InvokedViaFunctionUrl`), so both are checked.
    private func authorize(_ request: IngressRequest, config: FunctionURLConfig) async throws -> PayloadV2Event.IAMAuthorizer? {
        let arn = catalog.arns.function(config.functionName, qualifier: config.qualifier)
        let policy = await catalog.resourcePolicyJSON(function: config.functionName, qualifier: config.qualifier)
        let global: [String: [String]] = [
            "aws:SourceIp": [request.sourceIp], "aws:SecureTransport": ["false"], "aws:RequestedRegion": [region],
            "lambda:FunctionUrlAuthType": [config.authType], "lambda:FunctionArn": [arn],
        ]
        var invokeContext = global
        invokeContext["lambda:InvokedViaFunctionUrl"] = ["true"]
        let permissions = [
            RequiredPermission(action: "lambda:InvokeFunctionUrl", resource: arn, context: global, resourcePolicy: policy),
            RequiredPermission(action: "lambda:InvokeFunction", resource: arn, context: invokeContext, resourcePolicy: policy),
        ]
        if config.authType != "AWS_IAM" {
            for permission in permissions where !authorizer.resourcePolicyPermitsAnonymous(permission) { throw Denied() }
            return nil
        }
        let signable = request.signable
        let verified = try verifier.verify(signable, service: "lambda")
        var caller = try authorizer.caller(verified)
        if caller.needsAuthorization {
            caller.requestContext = global
            for permission in permissions { try authorizer.authorize(caller, permission) }
        }
        let identity = caller.identity
        return PayloadV2Event.IAMAuthorizer(accessKey: identity.accessKeyId, accountId: identity.accountId,
                                            callerId: identity.userId, userArn: identity.arn, userId: identity.userId)
    }
}

extension CorsRules {
    init(_ cors: FunctionURLCors) {
        self.init(allowOrigins: cors.allowOrigins ?? [], allowMethods: cors.allowMethods ?? [],
                  allowHeaders: cors.allowHeaders ?? [], exposeHeaders: cors.exposeHeaders ?? [], maxAge: cors.maxAge,
                  allowCredentials: cors.allowCredentials ?? false)
    }
}
