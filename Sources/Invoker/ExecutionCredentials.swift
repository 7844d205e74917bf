import Synchronization

/// The temporary credentials of a function's execution role, as an environment gets them
/// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`).
public struct ExecutionCredentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// Where environments get what they need of the platform: their role's credentials and the endpoint at which
/// the AWS SDKs inside reach Swiftlet (`AWS_ENDPOINT_URL`).
public protocol PlatformAccess: Sendable {
    /// Credentials of `role` acting as `assumed-role/<role>/<function>`, valid at least `ExecutionCredentials`'
    /// lifetime; nil when the role does not exist or does not trust Lambda (the environment then gets none).
    func executionCredentials(role: String, functionName: String) -> ExecutionCredentials?
    /// Where the platform's API listens (an address on this host and its port); nil until it does.
    var endpoint: PlatformEndpoint? { get }
}

/// The platform's listener as environments reach it: plain processes connect to it directly; a sandboxed one sees
/// it at `127.0.0.1:<port>` inside its own network namespace, relayed to `host:port` by the server.
public struct PlatformEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

extension ExecutionCredentials {
    /// How long an environment's credentials are valid; environments are retired well before (`maximumAge`).
    public static let lifetimeSeconds = 12 * 3600
    /// An environment older than this is not reused, so it never runs with credentials about to expire.
    public static let maximumEnvironmentAge: Duration = .seconds(6 * 3600)
}
