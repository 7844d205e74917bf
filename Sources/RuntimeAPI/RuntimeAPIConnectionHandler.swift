import NIOCore
import NIOHTTP1

/// One runtime connection: parses Runtime API requests and answers them from the environment's handler.
final class RuntimeAPIConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let prefix = "/2018-06-01/runtime/"

    let handler: any RuntimeAPIHandler
    let maxBodyBytes: Int
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyBytes = 0
    private var tooLarge = false
    private var active = true

    init(handler: any RuntimeAPIHandler, maxBodyBytes: Int) {
        self.handler = handler
        self.maxBodyBytes = maxBodyBytes
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = nil
            bodyBytes = 0
            tooLarge = false
        case .body(var chunk):
            bodyBytes += chunk.readableBytes
            if bodyBytes > maxBodyBytes {
                tooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
        case .end:
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
            answer(context, head, handler.invocationResponse(requestId: parts[1], body: body))
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
