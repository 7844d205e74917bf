import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// An X-Ray daemon-compatible UDP listener: each datagram is a protocol header and one segment document, which is
/// validated as the API validates it and recorded; invalid ones are counted and logged (the daemon answers nothing).
public final class XRayDaemon: Service, Sendable {
    let channel: any Channel
    let logger: Logger
    let counters: DaemonCounters

    /// The address it is bound to.
    public let host: String
    public let port: Int

    /// Binds `host:port` (0: an ephemeral port) and starts recording what arrives.
    public static func bind(host: String, port: Int, recorder: TraceRecorder, logger: Logger,
                            group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> XRayDaemon {
        let counters = DaemonCounters()
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: DaemonDatagram.maxBytes))
            .channelOption(ChannelOptions.maxMessagesPerRead, value: 64)
            // Room for bursts while the loop parses: a busy host's SDKs send many small datagrams at once.
            .channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: 4 * 1024 * 1024)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DaemonHandler(recorder: recorder, counters: counters, logger: logger))
                }
            }
            .bind(host: host, port: port)
            .get()
        let bound = channel.localAddress?.port ?? port
        return XRayDaemon(channel: channel, host: host, port: bound, counters: counters, logger: logger)
    }

    init(channel: any Channel, host: String, port: Int, counters: DaemonCounters, logger: Logger) {
        self.channel = channel
        self.host = host
        self.port = port
        self.counters = counters
        self.logger = logger
    }

    /// Datagrams taken and dropped so far.
    public var received: Int { counters.received.load(ordering: .relaxed) }
    public var rejected: Int { counters.rejected.load(ordering: .relaxed) }

    public func run() async throws {
        logger.info("X-Ray daemon listening", metadata: ["address": "\(host):\(port)"])
        try? await gracefulShutdown()
        try? await channel.close()
    }
}

/// What the daemon has seen.
final class DaemonCounters: Sendable {
    let received = Atomic<Int>(0)
    let rejected = Atomic<Int>(0)
}

/// Reads datagrams on the daemon's channel.
final class DaemonHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let recorder: TraceRecorder
    let counters: DaemonCounters
    let logger: Logger

    init(recorder: TraceRecorder, counters: DaemonCounters, logger: Logger) {
        self.recorder = recorder
        self.counters = counters
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = envelope.data.readableBytesView
        switch DaemonDatagram.document(in: bytes) {
        case .failure(let failure):
            counters.rejected.add(1, ordering: .relaxed)
            logger.debug("dropped an X-Ray datagram", metadata: ["reason": "\(failure)"])
        case .success(let document):
            switch SegmentParser.parse(document) {
            case .success(let segment):
                counters.received.add(1, ordering: .relaxed)
                recorder.record([segment])
            case .failure(let rejection):
                counters.rejected.add(1, ordering: .relaxed)
                logger.warning("unprocessed segment", metadata: ["id": "\(rejection.id ?? "-")", "error": "\(rejection.message)"])
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("X-Ray daemon socket error", metadata: ["error": "\(error)"])
    }
}
