import Foundation
import NIOCore
import NIOHTTP1

/// One client connection of the ingress: reads a request (the body up to the limit — a larger one is refused with 413
/// from its `Content-Length` before it is read, or as soon as it passes the limit), asks the router for the response
/// and writes it. HTTP/1.1 keep-alive; pipelined requests wait in NIO's pipeline handler until the previous response
/// is complete. Streamed bodies are written one chunk at a time, each after the previous reached the socket.
final class IngressConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case reading(head: HTTPRequestHead, body: ByteBuffer?)
        /// A refused request's remaining body is read and dropped until its end.
        case discarding
    }

    let router: IngressRouter
    private var state = State.idle
    private var bodyBytes = 0
    private var bodyLimit = 0
    /// Requests read whose responses are not yet written (NIO's pipelining handler keeps it at most one, plus one read).
    private var inFlight = 0
    private var counted = false

    init(router: IngressRouter) {
        self.router = router
    }

    func channelActive(context: ChannelHandlerContext) {
        // Past the connection cap a new connection is closed at once.
        counted = router.connectionOpened()
        if !counted { context.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if counted { router.connectionClosed() }
        counted = false
        context.fireChannelInactive()
    }

    /// An idle keep-alive connection (no request for `IngressRouter.idleTimeout`) is closed; one waiting for its
    /// response is not.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            if inFlight == 0, case .idle = state { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            bodyBytes = 0
            bodyLimit = router.bodyLimit(localAddress: context.channel.localAddress?.ipAddress,
                                         host: head.headers.first(name: "host"))
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > bodyLimit {
                refuseTooLarge(context: context, head: head)
                return
            }
            if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))),
                                      promise: nil)
            }
            state = .reading(head: head, body: nil)
        case .body(var chunk):
            guard case .reading(let head, var body) = state else { return }
            bodyBytes += chunk.readableBytes
            if bodyBytes > bodyLimit {
                refuseTooLarge(context: context, head: head)
                return
            }
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
            state = .reading(head: head, body: body)
        case .end:
            switch state {
            case .reading(let head, let body):
                state = .idle
                inFlight += 1
                dispatch(context: context, head: head, body: body)
            case .discarding:
                state = .idle
            default:
                break
            }
        }
    }

    /// 413 at once and close: the body is not read.
    private func refuseTooLarge(context: ChannelHandlerContext, head: HTTPRequestHead) {
        state = .discarding
        let body = Array(#"{"message":"Request Entity Too Large"}"#.utf8)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .payloadTooLarge, headers: headers))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer?) {
        let channel = context.channel
        let boundHandler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(head.headers.count)
        for (name, value) in head.headers { headers.append((name, value)) }
        let (path, query) = Self.splitTarget(head.uri)
        let request = IngressRequest(
            method: head.method.rawValue, rawPath: path, rawQuery: query, headers: headers,
            body: body.map { Array($0.readableBytesView) } ?? [],
            httpVersion: "HTTP/\(head.version.major).\(head.version.minor)",
            sourceIp: channel.remoteAddress?.ipAddress ?? "127.0.0.1", localPort: channel.localAddress?.port ?? 0,
            requestId: IngressRouter.requestId())
        let keepAlive = head.isKeepAlive
        let isHead = head.method == .HEAD
        let version = head.version
        let router = self.router
        let local = channel.localAddress?.ipAddress
        let host = head.headers.first(name: "host")
        let loop = context.eventLoop
        Task {
            let started = ContinuousClock.now
            let response = await router.respond(to: request, localAddress: local, host: host)
            router.logAccess(request, status: response.status, duration: ContinuousClock.now - started)
            await IngressConnectionHandler.deliver(response, handler: boundHandler, context: boundContext, loop: loop, channel: channel, version: version, keepAlive: keepAlive,
                               omitBody: isHead)
        }
    }

    /// Writes `response`: a whole one in one hop to the connection's loop (nothing waits for it off the loop), a
    /// streamed one chunk by chunk.
    private static func deliver(_ response: IngressResponse, handler boundHandler: NIOLoopBound<IngressConnectionHandler>,
                                context boundContext: NIOLoopBound<ChannelHandlerContext>, loop: any EventLoop, channel: any Channel, version: HTTPVersion, keepAlive: Bool,
                                omitBody: Bool) async {
        if case .streamed(let status, let fields, let chunks) = response {
            await stream(status: status, fields: fields, chunks: chunks, on: channel, version: version, keepAlive: keepAlive,
                         omitBody: omitBody)
            if !keepAlive { channel.close(promise: nil) }
            loop.execute { boundHandler.value.inFlight -= 1 }
            return
        }
        guard case .buffered(let status, let fields, let body) = response else { return }
        let head = bufferedHead(status: status, fields: fields, bodyCount: body.count, version: version, keepAlive: keepAlive)
        let payload: ByteBuffer? = !omitBody && !body.isEmpty && status != 204 && status != 304 ? ByteBuffer(bytes: body) : nil
        loop.execute {
            let handler = boundHandler.value
            let context = boundContext.value
            context.write(handler.wrapOutboundOut(.head(head)), promise: nil)
            if let payload { context.write(handler.wrapOutboundOut(.body(.byteBuffer(payload))), promise: nil) }
            let deadline = loop.scheduleTask(in: IngressRouter.writeTimeout) { context.close(promise: nil) }
            context.writeAndFlush(handler.wrapOutboundOut(.end(nil))).whenComplete { _ in
                deadline.cancel()
                if !keepAlive { context.close(promise: nil) }
            }
            handler.inFlight -= 1
        }
    }

    /// The head of a whole response: its length, and whether the connection stays open.
    private static func bufferedHead(status: Int, fields: [(name: String, value: String)], bodyCount: Int, version: HTTPVersion,
                                     keepAlive: Bool) -> HTTPResponseHead {
        var headers = HTTPHeaders(fields.map { ($0.name, $0.value) })
        headers.replaceOrAdd(name: "Content-Length", value: "\(bodyCount)")
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        return HTTPResponseHead(version: version, status: .init(statusCode: status), headers: headers)
    }

    /// Writes a streamed response chunk by chunk, each after the previous reached the socket.
    private static func stream(status: Int, fields: [(name: String, value: String)], chunks: ResponseChunks, on channel: any Channel,
                               version: HTTPVersion, keepAlive: Bool, omitBody: Bool) async {
        var headers = HTTPHeaders(fields.map { ($0.name, $0.value) })
        headers.remove(name: "Content-Length")
        // HTTP/1.0 has no chunked encoding: the body ends with the connection.
        let chunked = version.major == 1 && version.minor >= 1
        if chunked {
            headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        } else {
            headers.remove(name: "Transfer-Encoding")
        }
        headers.replaceOrAdd(name: "Connection", value: keepAlive && chunked ? "keep-alive" : "close")
        do {
            try await withDeadline(channel.writeAndFlush(HTTPServerResponsePart.head(
                HTTPResponseHead(version: version, status: .init(statusCode: status), headers: headers))), on: channel)
            while let chunk = await chunks.next() {
                if omitBody || chunk.readableBytes == 0 { continue }
                try await withDeadline(channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(chunk))), on: channel)
            }
            try await withDeadline(channel.writeAndFlush(HTTPServerResponsePart.end(nil)), on: channel)
            if !chunked { channel.close(promise: nil) }
        } catch {
            // The client went away: let the producer finish on its own, and end the connection.
            chunks.cancel()
            channel.close(promise: nil)
        }
    }

    /// Waits for a write; a client that takes nothing for `IngressRouter.writeTimeout` loses its connection (so a
    /// reader that stalls cannot pin a response in memory for ever).
    private static func withDeadline(_ write: EventLoopFuture<Void>, on channel: any Channel) async throws {
        let deadline = channel.eventLoop.scheduleTask(in: IngressRouter.writeTimeout) { channel.close(promise: nil) }
        defer { deadline.cancel() }
        try await write.get()
    }

    /// `/path?query` → ("/path", "query"); an absolute-form target keeps only its path.
    static func splitTarget(_ uri: String) -> (String, String) {
        var target = Substring(uri)
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            let afterScheme = target[target.index(target.firstIndex(of: ":")!, offsetBy: 3)...]
            target = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        if let mark = target.firstIndex(of: "?") {
            return (String(target[..<mark]), String(target[target.index(after: mark)...]))
        }
        return (String(target), "")
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
