import AWSProtocol
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The listener for plain HTTP into functions: function URLs and HTTP APIs on their own port (`--http-port`).
///
/// Every endpoint gets its own loopback address on that port (`http://127.a.b.c:<port>/`, see `LoopbackAddress`), so
/// its URL works from any client on the machine with no DNS setup and the function sees the request's path as sent.
/// Requests to the configured host (a wildcard, or a name behind wildcard DNS) are routed by their `Host` header,
/// `<id>.lambda-url.<region>.<domain>` or `<id>.execute-api.<region>.<domain>`.
public final class HTTPIngress: HTTPEndpointRegistry, Service {
    public struct Settings: Sendable {
        /// Address of the main listener (Host routing); a wildcard also serves every endpoint address.
        public var host: String
        /// 0 picks a free port (then shared by every endpoint address).
        public var port: Int
        /// Domain of Host routing (`<id>.lambda-url.<region>.<domain>`).
        public var domain: String
        public var region: String
        /// One log line per request (method, path, status, latency).
        public var accessLog: Bool

        public init(host: String = "127.0.0.1", port: Int = 8910, domain: String = "localhost", region: String,
                    accessLog: Bool = false) {
            self.host = host
            self.port = port
            self.domain = domain
            self.region = region
            self.accessLog = accessLog
        }
    }

    public let settings: Settings
    let table: EndpointTable
    public let router: IngressRouter
    let logger: Logger
    let group: any EventLoopGroup
    private let state = Mutex<(port: Int, listeners: [String: any Channel])>((0, [:]))

    public init(settings: Settings, logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.settings = settings
        self.table = EndpointTable(region: settings.region, domain: settings.domain)
        self.router = IngressRouter(table: table, accessLog: settings.accessLog ? logger : nil)
        self.logger = logger
        self.group = group
    }

    /// The port every listener shares (known after `bind`).
    public var port: Int { state.withLock { $0.port } }

    private var servesEveryAddress: Bool { settings.host == "0.0.0.0" || settings.host == "::" }

    /// Opens the main listener; endpoint addresses are opened as they are registered.
    public func bind() async throws {
        let channel = try await listen(host: settings.host, port: settings.port)
        let port = channel.localAddress?.port ?? settings.port
        state.withLock { $0 = (port, [settings.host: channel]) }
        logger.notice("function URLs and HTTP APIs listening", metadata: ["host": "\(settings.host)", "port": "\(port)"])
    }

    private func listen(host: String, port: Int) async throws -> any Channel {
        let router = self.router
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: IngressRouter.idleTimeout))
                    try channel.pipeline.syncOperations.addHandler(IngressConnectionHandler(router: router))
                }
            }
            .bind(host: host, port: port)
            .get()
    }

    // MARK: HTTPEndpointRegistry

    public func endpointURL(kind: HTTPEndpointKind, id: String) -> String {
        "http://\(LoopbackAddress.of(kind, id: id)):\(port)/"
    }

    public func domainName(kind: HTTPEndpointKind, id: String) -> String {
        switch kind {
        case .functionURL: "\(id).lambda-url.\(settings.region).\(settings.domain)"
        case .httpAPI: "\(id).execute-api.\(settings.region).\(settings.domain)"
        }
    }

    public func isAvailable(kind: HTTPEndpointKind, id: String) -> Bool {
        table.isFree(.init(kind: kind, id: id))
    }

    public func register(kind: HTTPEndpointKind, id: String) async throws {
        let address = table.add(.init(kind: kind, id: id))
        guard !servesEveryAddress, state.withLock({ $0.listeners[address] == nil }) else { return }
        do {
            let channel = try await listen(host: address, port: port)
            let endpoint = EndpointTable.Endpoint(kind: kind, id: id)
            let extra = state.withLock { state -> (any Channel)? in
                // Another registration got there first, or the endpoint was unregistered while we listened.
                if state.listeners[address] != nil || table.endpoint(localAddress: address, host: nil) != endpoint { return channel }
                state.listeners[address] = channel
                return nil
            }
            try? await extra?.close()
        } catch {
            // Host routing still reaches it; the loopback URL does not.
            logger.error("could not listen on an endpoint's address", metadata: [
                "address": "\(address)", "port": "\(port)", "error": "\(error)"])
        }
    }

    /// Registers what `ids` has and the ingress lacks, and unregisters what it has and `ids` lacks (after another
    /// node of a cluster created or deleted endpoints).
    public func synchronize(kind: HTTPEndpointKind, ids: Set<String>) async throws {
        let known = table.ids(of: kind)
        for id in known.subtracting(ids) { await unregister(kind: kind, id: id) }
        for id in ids.subtracting(known) { try await register(kind: kind, id: id) }
    }

    public func unregister(kind: HTTPEndpointKind, id: String) async {
        guard let address = table.remove(.init(kind: kind, id: id)), address != settings.host else { return }
        let channel = state.withLock { $0.listeners.removeValue(forKey: address) }
        try? await channel?.close()
    }

    // MARK: Service

    /// Serves until graceful shutdown, then stops accepting (requests in flight finish on their connections).
    public func run() async throws {
        try? await gracefulShutdown()
        let listeners = state.withLock { state in
            defer { state.listeners.removeAll() }
            return Array(state.listeners.values)
        }
        for listener in listeners { try? await listener.close() }
    }
}
