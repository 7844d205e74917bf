import NIOCore
import NIOPosix

/// Swiftlet's endpoint inside one environment: connections accepted on a listener that lives in the environment's
/// network namespace (`127.0.0.1:<port>`, handed over by the launcher) are relayed byte for byte to the server's own
/// listener, so the AWS SDKs in a function reach every API at `AWS_ENDPOINT_URL` while the function can reach
/// nothing else of the host.
enum EndpointRelay {
    /// Serves `listeningSocket` (owned from now on) until the returned channel is closed.
    static func start(listeningSocket: CInt, target: SocketAddress, group: any EventLoopGroup) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { inbound in
                ClientBootstrap(group: inbound.eventLoop)
                    .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                    .connect(to: target)
                    .flatMap { outbound in
                        let (toOutbound, toInbound) = RelayHandler.pair()
                        return inbound.pipeline.addHandler(toOutbound).flatMap {
                            outbound.pipeline.addHandler(toInbound)
                        }
                    }
            }
            .withBoundSocket(listeningSocket)
            .get()
    }
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
