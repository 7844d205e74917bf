import NIOCore
import NIOPosix
import Synchronization

/// Swiftlet's endpoint inside one environment: connections accepted on a listener that lives in the environment's
/// network namespace (`127.0.0.1:<port>`, handed over by the launcher) are relayed byte for byte to the server's own
/// listener, so the AWS SDKs in a function reach every API at `AWS_ENDPOINT_URL` while the function can reach
/// nothing else of the host.
enum EndpointRelay {
    /// Connections one environment may have open through its relay at once; more are closed as they arrive, so a
    /// function cannot use up the server's descriptors.
    static let maxConnections = 128
    /// A relayed connection with no traffic either way for this long is closed.
    static let idleTimeout: TimeAmount = .minutes(15)

    /// Serves `listeningSocket` (owned from now on) until the returned channel is closed.
    static func start(listeningSocket: CInt, target: SocketAddress, group: any EventLoopGroup) async throws -> any Channel {
        let open = ConnectionCount()
        return try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { inbound in
                guard open.value.wrappingAdd(1, ordering: .relaxed).newValue <= maxConnections else {
                    open.value.wrappingSubtract(1, ordering: .relaxed)
                    return inbound.close()
                }
                inbound.closeFuture.whenComplete { _ in open.value.wrappingSubtract(1, ordering: .relaxed) }
                return ClientBootstrap(group: inbound.eventLoop)
                    .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                    .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                    .connect(to: target)
                    .flatMap { outbound in
                        let (toOutbound, toInbound) = RelayHandler.pair()
                        return inbound.pipeline.addHandlers([IdleStateHandler(allTimeout: idleTimeout), toOutbound]).flatMap {
                            outbound.pipeline.addHandler(toInbound)
                        }
                    }
            }
            .withBoundSocket(listeningSocket)
            .get()
    }
}

/// How many connections one relay has open.
final class ConnectionCount: Sendable {
    let value = Atomic<Int>(0)
}

/// One side of a relayed connection: what its channel reads is written to the partner's channel; reading pauses
/// while the partner cannot take more (backpressure), and either side closing closes both.
final class RelayHandler: ChannelDuplexHandler, @unchecked Sendable {
    // Both handlers of a pair live on the same event loop (the outbound connection is made on the inbound's loop),
    // so they call each other directly.
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: RelayHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    static func pair() -> (RelayHandler, RelayHandler) {
        let a = RelayHandler()
        let b = RelayHandler()
        a.partner = b
        b.partner = a
        return (a, b)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.forward(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.context?.close(promise: nil)
    }

    /// One side finished sending (half-close): what it sent is flushed to the other, which is then told the same.
    /// An idle connection is closed.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event, let other = partner?.context {
            other.flush()
            other.close(mode: .output, promise: nil)
        } else if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.resumeReading() }
    }

    func read(context: ChannelHandlerContext) {
        // Read only while the partner can take what is read.
        if partner?.context?.channel.isWritable ?? true {
            context.read()
        } else {
            pendingRead = true
        }
    }

    private func forward(_ data: NIOAny) {
        context?.write(data, promise: nil)
    }

    private func resumeReading() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }
}
