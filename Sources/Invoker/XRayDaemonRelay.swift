import Foundation
import NIOCore
import NIOPosix

/// The X-Ray daemon inside a sandboxed environment: a UDP socket on the environment's own loopback
/// (`127.0.0.1:2000`, where `AWS_XRAY_DAEMON_ADDRESS` points) whose datagrams are forwarded, one for one, to the
/// platform's daemon on the host. The socket is made in the environment's network namespace (found from a socket
/// the launcher created there) on a short-lived thread, so no thread of the server changes namespace for long.
enum XRayDaemonRelay {
    /// Where functions send segments inside a sandbox (Lambda's port).
    static let insidePort: UInt16 = 2000
    /// `SIOCGSKNS`: the network namespace of a socket, as a file descriptor (Linux 4.9+).
    static let getSocketNamespace: UInt = 0x894C

    /// `CLONE_NEWNET`.
    static let cloneNewNet: Int32 = 0x4000_0000
    /// glibc's `setns` (declared only under `_GNU_SOURCE`, so not imported into Swift).
    static let setnsFunction: (@convention(c) (Int32, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "setns") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    }()

    struct RelayError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts relaying from the namespace of `socketInNamespace` to `target`; the returned channel stops it when closed.
    static func start(socketInNamespace: CInt, target: SocketAddress, group: any EventLoopGroup) async throws -> any Channel {
        let inside = try await bindInside(namespaceOf: socketInNamespace)
        let outbound: any Channel
        do {
            outbound = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        } catch {
            close(inside)
            throw error
        }
        do {
            let channel = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramForwarder(outbound: outbound, target: target))
                    }
                }
                .withBoundSocket(inside)
                .get()
            channel.closeFuture.whenComplete { _ in outbound.close(promise: nil) }
            return channel
        } catch {
            outbound.close(promise: nil)
            throw error
        }
    }

    /// A UDP socket bound to `127.0.0.1:2000` in the network namespace of the socket `member`.
    static func bindInside(namespaceOf member: CInt) async throws -> CInt {
        let namespace = ioctl(member, getSocketNamespace)
        guard namespace >= 0 else { throw RelayError(description: "SIOCGSKNS failed: errno \(errno)") }
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                defer { close(namespace) }
                guard let setns = setnsFunction, setns(namespace, cloneNewNet) == 0 else {
                    continuation.resume(throwing: RelayError(description: "setns failed: errno \(errno)"))
                    return
                }
                let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                guard fd >= 0 else {
                    continuation.resume(throwing: RelayError(description: "socket failed: errno \(errno)"))
                    return
                }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = insidePort.bigEndian
                address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
                let bound = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard bound == 0 else {
                    let code = errno
                    close(fd)
                    continuation.resume(throwing: RelayError(description: "bind 127.0.0.1:\(insidePort) failed: errno \(code)"))
                    return
                }
                continuation.resume(returning: fd)
                // The thread ends here, and its namespace with it.
            }
            thread.start()
        }
    }
}

/// Forwards each datagram read to the platform's daemon.
final class DatagramForwarder: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let outbound: any Channel
    let target: SocketAddress

    init(outbound: any Channel, target: SocketAddress) {
        self.outbound = outbound
        self.target = target
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        outbound.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: envelope.data), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A datagram that could not be read is dropped, as the daemon drops it.
    }
}
