import AWSProtocol
import Catalog
import Foundation
import Invoker

extension LambdaService {
    /// `POST /2021-11-15/functions/{name}/response-streaming-invocations`: RequestResponse → 200 with the function's
    /// response as an event stream (`PayloadChunk` events as the function writes, then `InvokeComplete`), DryRun → 204.
    /// A function that answers buffered comes as one `PayloadChunk`.
    func invokeWithResponseStream(_ request: APIRequest, name: String) async throws -> APIResponse {
        let invocationType = request.header("x-amz-invocation-type") ?? "RequestResponse"
        guard ["RequestResponse", "DryRun"].contains(invocationType) else {
            throw LambdaError.validation(field: "invocationType", value: invocationType,
                                         constraint: "Member must satisfy enum value set: [RequestResponse, DryRun]")
        }
        let logType = request.header("x-amz-log-type") ?? "None"
        guard ["None", "Tail"].contains(logType) else {
            throw LambdaError.validation(field: "logType", value: logType, constraint: "Member must satisfy enum value set: [None, Tail]")
        }
        if request.body.count > Self.maxSyncPayloadBytes {
            throw LambdaError.requestTooLarge(
                "Request must be smaller than \(Self.maxSyncPayloadBytes) bytes for the InvokeWithResponseStream operation")
        }
        let clientContext = try Self.clientContext(request.header("x-amz-client-context"))
        let (definition, qualifier) = try await catalog.resolveForInvocation(name, qualifier: qualifier(request))
        let version = definition.version
        if invocationType == "DryRun" {
            return APIResponse(status: 204, headers: [("x-amz-executed-version", version)])
        }
        let payload = request.body.isEmpty ? Array("{}".utf8) : request.body
        try Self.checkJSON(payload)
        guard let invoker else {
            throw LambdaError.service("This server cannot run functions.")
        }
        let stream = try await invoker.invokeStreaming(InvocationRequest(
            function: definition, version: version,
            invokedFunctionArn: catalog.arns.function(definition.name, qualifier: qualifier),
            payload: payload, clientContext: clientContext, requestId: request.requestId,
            traceId: request.header("x-amzn-trace-id")))
        let tail = logType == "Tail"
        let headers: [(name: String, value: String)] = [
            ("content-type", "application/vnd.amazon.eventstream"),
            ("x-amz-executed-version", version),
        ]
        return .streaming(headers: headers) { writer in
            for await event in stream {
                switch event {
                case .started:
                    continue
                case .chunk(let buffer):
                    guard buffer.readableBytes > 0 else { continue }
                    try await writer.write(EventStreamMessage.event(
                        "PayloadChunk", contentType: "application/octet-stream", payload: Array(buffer.readableBytesView)).encoded)
                case .finished(let end):
                    try await writer.write(EventStreamMessage.event(
                        "InvokeComplete", contentType: "application/json", payload: Self.invokeComplete(end, tail: tail)).encoded)
                }
            }
        }
    }

    /// The `InvokeComplete` event's JSON: the error's type and message when the invocation failed, the log tail when
    /// asked for.
    static func invokeComplete(_ end: InvocationStreamEnd, tail: Bool) -> [UInt8] {
        struct InvokeComplete: Encodable {
            var ErrorCode: String?
            var ErrorDetails: String?
            var LogResult: String?
        }
        var event = InvokeComplete(LogResult: tail ? end.logTail : nil)
        if end.functionError != nil {
            event.ErrorCode = end.errorType ?? end.functionError
            event.ErrorDetails = end.errorMessage ?? end.errorBody.map { String(decoding: $0, as: UTF8.self) }
        }
        return Array((try? AWSJSON.encoder().encode(event)) ?? Data("{}".utf8))
    }
}
