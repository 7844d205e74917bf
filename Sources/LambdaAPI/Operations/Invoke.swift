import AWSProtocol
import AsyncInvocation
import Catalog
import Foundation
import Invoker

extension LambdaService {
    /// Lambda's limit on a synchronous request payload.
    static let maxSyncPayloadBytes = 6 * 1024 * 1024
    /// Longest `X-Amz-Client-Context` (base64) Lambda takes.
    static let maxClientContextBytes = 3583

    /// `POST /2015-03-31/functions/{name}/invocations`: RequestResponse → 200 with the function's answer,
    /// DryRun → 204 once the function and qualifier resolve.
    func invoke(_ request: APIRequest, name: String) async throws -> APIResponse {
        let invocationType = request.header("x-amz-invocation-type") ?? "RequestResponse"
        guard ["RequestResponse", "Event", "DryRun"].contains(invocationType) else {
            throw LambdaError.validation(field: "invocationType", value: invocationType,
                                         constraint: "Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
        }
        let logType = request.header("x-amz-log-type") ?? "None"
        guard ["None", "Tail"].contains(logType) else {
            throw LambdaError.validation(field: "logType", value: logType, constraint: "Member must satisfy enum value set: [None, Tail]")
        }
        let limit = invocationType == "Event" ? AsyncDispatcher.maxPayloadBytes : Self.maxSyncPayloadBytes
        if request.body.count > limit {
            throw LambdaError.requestTooLarge(
                "Request must be smaller than \(limit) bytes for the InvokeFunction operation")
        }
        let clientContext = try Self.clientContext(request.header("x-amz-client-context"))
        let (definition, qualifier) = try await catalog.resolveForInvocation(name, qualifier: qualifier(request))
        let version = definition.version
        let payload = request.body.isEmpty ? Array("{}".utf8) : request.body

        switch invocationType {
        case "DryRun":
            return APIResponse(status: 204, headers: [("x-amz-executed-version", version)])
        case "Event":
            try Self.checkJSON(payload)
            guard let dispatcher else { throw LambdaError.service("This server cannot run functions.") }
            try await dispatcher.accept(functionName: definition.name, qualifier: qualifier, payload: payload, requestId: request.requestId,
                                        traceId: request.header("x-amzn-trace-id"))
            return APIResponse(status: 202)
        default:
            break
        }
        try Self.checkJSON(payload)
        guard let invoker else {
            throw LambdaError.service("This server cannot run functions.")
        }
        // In a cluster: rather than cold-start, let a node with this revision warm answer (one hop at most).
        if let forwarder, !InvokeForwarder.isForwarded(request),
           !invoker.hasIdleEnvironment(function: definition.name, version: version, revisionId: definition.revisionId),
           let forwarded = await forwarder.forward(request, function: definition.name, version: version,
                                                   revisionId: definition.revisionId, timeoutSeconds: definition.timeout) {
            return forwarded
        }
        let result = try await invoker.invoke(InvocationRequest(
            function: definition, version: version,
            invokedFunctionArn: catalog.arns.function(definition.name, qualifier: qualifier),
            payload: payload, clientContext: clientContext, requestId: request.requestId,
            traceId: request.header("x-amzn-trace-id")))
        var headers: [(String, String)] = [
            ("content-type", "application/json"),
            ("x-amz-executed-version", result.executedVersion),
        ]
        if let functionError = result.functionError { headers.append(("x-amz-function-error", functionError)) }
        if logType == "Tail" { headers.append(("x-amz-log-result", result.logTail)) }
        return APIResponse(status: 200, headers: headers, body: result.payload)
    }

    /// The decoded client context: base64 of a JSON object, at most 3,583 bytes encoded.
    static func clientContext(_ header: String?) throws -> String? {
        guard let header, !header.isEmpty else { return nil }
        if header.utf8.count > maxClientContextBytes {
            throw LambdaError.invalidParameter("Client context must be less than \(maxClientContextBytes) bytes.")
        }
        guard let data = Data(base64Encoded: header),
              (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw LambdaError.invalidRequestContent("Client context must be a valid Base64-encoded JSON object.")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Lambda only passes JSON documents to functions.
    static func checkJSON(_ payload: [UInt8]) throws {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed])
        } catch {
            throw LambdaError.invalidRequestContent("Could not parse request body into json: Could not parse payload into json: \(error.localizedDescription)")
        }
    }
}
