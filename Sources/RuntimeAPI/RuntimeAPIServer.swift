import NIOCore
import NIOHTTP1
import NIOPosix

/// The Runtime API (2018-06-01) of one execution environment, served on the listening socket the
/// sandbox launcher created inside that environment's network namespace — so an environment can
/// reach no other environment's API, and nothing but its own runtime reaches this one.
public struct RuntimeAPIServer: Sendable {
    /// Largest response or error body a runtime may post (Lambda's 6 MB synchronous limit).
    public static let defaultMaxBodyBytes = 6 * 1024 * 1024

    public let channel: any Channel

    /// Starts serving on an already listening socket, taking ownership of it.
    public static func start(
        listeningSocket fd: Int32,
        handler: any RuntimeAPIHandler,
        maxBodyBytes: Int = defaultMaxBodyBytes,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RuntimeAPIServer {
        let channel = try await ServerBootstrap(group: group)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        RuntimeAPIConnectionHandler(handler: handler, maxBodyBytes: maxBodyBytes))
                }
            }
            .withBoundSocket(fd)
            .get()
        return RuntimeAPIServer(channel: channel)
    }

    /// Stops accepting and closes the listener.
    public func close() {
        channel.close(promise: nil)
    }
}
