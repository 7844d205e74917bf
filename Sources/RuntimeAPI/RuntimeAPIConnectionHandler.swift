import NIOCore
import NIOHTTP1

/// One runtime connection: parses Runtime API requests and answers them from the environment's handler.
///
/// A streamed response (`Lambda-Runtime-Function-Response-Mode: streaming`) is not collected: each body chunk goes to
/// the handler as it is read, and reading stops (reads from the pipeline are held back) while the handler's consumer is
/// behind or Lambda's bandwidth rule says to wait.
final class RuntimeAPIConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The streamed response being read.
    private struct Streaming {
        var head: HTTPRequestHead
        var requestId: String
        /// Set when the chunks are no longer wanted: the rest is dropped and this is the answer.
        var discard: RuntimeAPIOutcome?
        var pacing = ResponseStreamPacing()
    }

    static let prefix = "/2018-06-01/runtime/"

    let handler: any RuntimeAPIHandler
    let maxBodyBytes: Int
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyBytes = 0
    private var tooLarge = false
    private var active = true
    private var streaming: Streaming?
    /// Reading is held back while the consumer is behind or until the pacing delay has passed.
    private var pausedByConsumer = false
    private var pacing: Scheduled<Void>?
    private var readPending = false

    init(handler: any RuntimeAPIHandler, maxBodyBytes: Int) {
        self.handler = handler
        self.maxBodyBytes = maxBodyBytes
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        pacing?.cancel()
        pacing = nil
        streaming = nil
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if pausedByConsumer || pacing != nil {
            readPending = true
        } else {
            context.read()
        }
    }

    private func resumeReading(_ context: ChannelHandlerContext) {
        guard readPending, !pausedByConsumer, pacing == nil else { return }
        readPending = false
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            if h.method == .POST, let mode = h.headers.first(name: RuntimeStreamHeaders.responseMode),
               mode.lowercased() == "streaming", let requestId = Self.responseRequestId(h.uri) {
                return startStream(context: context, head: h, requestId: requestId)
            }
            head = h
            body = nil
            bodyBytes = 0
            tooLarge = false
        case .body(var chunk):
            if streaming != nil { return streamChunk(context: context, chunk) }
            bodyBytes += chunk.readableBytes
            if bodyBytes > maxBodyBytes {
                tooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
        case .end(let trailers):
            if let streaming { return endStream(context: context, streaming, trailers: trailers) }
            guard let head else { return }
            self.head = nil
            route(context: context, head: head, body: body ?? context.channel.allocator.buffer(capacity: 0))
            body = nil
        }
    }

    private func route(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard path.hasPrefix(Self.prefix) else {
            return respond(context, head, status: .notFound, json: #"{"errorMessage":"Unknown path","errorType":"NotFound"}"#)
        }
        let parts = path.dropFirst(Self.prefix.count).split(separator: "/").map(String.init)
        switch (head.method, parts.count) {
        case (.GET, 2) where parts == ["invocation", "next"]:
            next(context: context, head: head)
        case (.POST, 3) where parts[0] == "invocation" && parts[2] == "response":
            if tooLarge {
                return answer(context, head, handler.invocationResponseTooLarge(requestId: parts[1], limit: maxBodyBytes))
            }
            answer(context, head, handler.invocationResponse(requestId: parts[1], body: body, headers: RuntimeResponseHeaders(head.headers)))
        case (.POST, 3) where parts[0] == "invocation" && parts[2] == "error":
            if tooLarge { return answer(context, head, .payloadTooLarge(limit: maxBodyBytes)) }
            answer(context, head, handler.invocationError(
                requestId: parts[1], errorType: head.headers.first(name: "Lambda-Runtime-Function-Error-Type"), body: body))
        case (.POST, 2) where parts == ["init", "error"]:
            if tooLarge { return answer(context, head, .payloadTooLarge(limit: maxBodyBytes)) }
            answer(context, head, handler.initError(errorType: head.headers.first(name: "Lambda-Runtime-Function-Error-Type"), body: body))
        default:
            respond(context, head, status: .notFound, json: #"{"errorMessage":"Unknown path","errorType":"NotFound"}"#)
        }
    }

    /// The request id of `POST /2018-06-01/runtime/invocation/{id}/response`, nil for any other path.
    static func responseRequestId(_ uri: String) -> String? {
        let path = uri.split(separator: "?", maxSplits: 1).first ?? uri[...]
        guard path.hasPrefix(prefix) else { return nil }
        let parts = path.dropFirst(prefix.count).split(separator: "/")
        guard parts.count == 3, parts[0] == "invocation", parts[2] == "response" else { return nil }
        return String(parts[1])
    }

    // MARK: Streamed responses

    private func startStream(context: ChannelHandlerContext, head: HTTPRequestHead, requestId: String) {
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let resume = RuntimeStreamResumer {
            loop.execute {
                let (handler, context) = bound.value
                handler.pausedByConsumer = false
                handler.resumeReading(context)
            }
        }
        let outcome = handler.responseStreamStarted(requestId: requestId, headers: RuntimeResponseHeaders(head.headers), resume: resume)
        streaming = Streaming(head: head, requestId: requestId, discard: outcome == .accepted ? nil : outcome)
    }

    private func streamChunk(context: ChannelHandlerContext, _ chunk: ByteBuffer) {
        guard var s = streaming, s.discard == nil else { return }
        switch handler.responseStreamChunk(requestId: s.requestId, chunk) {
        case .more: break
        case .pause: pausedByConsumer = true
        case .discard(let outcome):
            s.discard = outcome
            pausedByConsumer = false
        }
        let delay = s.discard == nil ? s.pacing.record(chunk.readableBytes, at: .now()) : nil
        if let delay, pacing == nil {
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            pacing = context.eventLoop.scheduleTask(in: delay) {
                let (handler, context) = bound.value
                handler.pacing = nil
                handler.resumeReading(context)
            }
        }
        streaming = s
        if s.discard != nil {
            pacing?.cancel()
            pacing = nil
            resumeReading(context)
        }
    }

    private func endStream(context: ChannelHandlerContext, _ s: Streaming, trailers: HTTPHeaders?) {
        streaming = nil
        pausedByConsumer = false
        pacing?.cancel()
        pacing = nil
        let outcome = s.discard ?? handler.responseStreamEnded(
            requestId: s.requestId, errorType: trailers?.first(name: RuntimeStreamHeaders.errorType),
            errorBody: trailers?.first(name: RuntimeStreamHeaders.errorBody))
        answer(context, s.head, outcome)
        resumeReading(context)
    }

    // MARK: Events

    private func next(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let loop = context.eventLoop
        let keepAlive = head.isKeepAlive
        let boundContext = NIOLoopBound(context, eventLoop: loop)
        let selfBound = NIOLoopBound(self, eventLoop: loop)
        let handler = self.handler
        handler.nextInvocation { invocation in
            // Deliveries come from whichever thread the invoker runs on: hop to the connection's loop.
            if loop.inEventLoop {
                if !selfBound.value.write(invocation, context: boundContext.value, keepAlive: keepAlive) {
                    handler.deliveryFailed(requestId: invocation.requestId)
                }
                return
            }
            loop.execute {
                if !selfBound.value.write(invocation, context: boundContext.value, keepAlive: keepAlive) {
                    handler.deliveryFailed(requestId: invocation.requestId)
                }
            }
        }
    }

    private func write(_ invocation: RuntimeInvocation, context: ChannelHandlerContext, keepAlive: Bool) -> Bool {
        guard active, context.channel.isActive else { return false }
        var headers = HTTPHeaders()
        headers.reserveCapacity(8)
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(invocation.payload.readableBytes)")
        headers.add(name: "Lambda-Runtime-Aws-Request-Id", value: invocation.requestId)
        headers.add(name: "Lambda-Runtime-Deadline-Ms", value: "\(invocation.deadlineMs)")
        headers.add(name: "Lambda-Runtime-Invoked-Function-Arn", value: invocation.invokedFunctionArn)
        headers.add(name: "Lambda-Runtime-Trace-Id", value: invocation.traceId)
        if let clientContext = invocation.clientContext {
            headers.add(name: "Lambda-Runtime-Client-Context", value: clientContext)
        }
        if let cognito = invocation.cognitoIdentity {
            headers.add(name: "Lambda-Runtime-Cognito-Identity", value: cognito)
        }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        var head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
        head.headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(invocation.payload))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        if !keepAlive { context.close(promise: nil) }
        return true
    }

    private func answer(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ outcome: RuntimeAPIOutcome) {
        switch outcome {
        case .accepted:
            respond(context, head, status: .accepted, json: #"{"status":"OK"}"#)
        case .invalidRequestId:
            respond(context, head, status: .badRequest, json: #"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#)
        case .invalidStateTransition:
            respond(context, head, status: .forbidden, json: #"{"errorMessage":"Invalid state transition","errorType":"InvalidStateTransition"}"#)
        case .payloadTooLarge(let limit):
            respond(context, head, status: .payloadTooLarge,
                    json: #"{"errorMessage":"Exceeded maximum allowed payload size (\#(limit) bytes).","errorType":"RequestEntityTooLarge"}"#)
        }
    }

    private func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, status: HTTPResponseStatus, json: String) {
        var buffer = context.channel.allocator.buffer(capacity: json.utf8.count)
        buffer.writeString(json)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(buffer.readableBytes)")
        headers.add(name: "Connection", value: request.isKeepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        if !request.isKeepAlive { context.close(promise: nil) }
    }
}
