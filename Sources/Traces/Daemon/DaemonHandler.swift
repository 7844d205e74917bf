import Logging
import NIOCore
import Synchronization

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
