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
        // No SO_REUSEADDR: on UDP it would let a second server bind the same port and take some of the datagrams.
        let channel = try await DatagramBootstrap(group: group)
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
