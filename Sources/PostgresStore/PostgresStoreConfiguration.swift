import Foundation
import PostgresNIO

/// Where the database is and how to reach it, parsed once from a URL:
/// `postgresql://user[:password]@host[:port]/database`, with the query parameters `host=/socket/dir` (a unix
/// socket directory, as libpq's; the socket is `<dir>/.s.PGSQL.<port>`), `sslmode=disable|prefer|require`
/// (default `prefer`), `port=N` (with a socket directory and no host) and `pool_max=N` (connections per node, default 20).
public struct PostgresStoreConfiguration: Sendable {
    public var client: PostgresClient.Configuration
    /// Where the database is, without the password: for messages.
    public var target: String

    public init(client: PostgresClient.Configuration) {
        self.client = client
        self.target = "\(client.unixSocketPath ?? "\(client.host ?? ""):\(client.port ?? 5432)")/\(client.database ?? "")"
    }

    public init(url: String) throws {
        func invalid(_ reason: String) -> PostgresStoreError { .invalidURL(Self.redacted(url), reason: reason) }
        guard let components = URLComponents(string: url) else { throw invalid("not a URL") }
        guard components.scheme == "postgresql" || components.scheme == "postgres" else {
            throw invalid("the scheme must be postgresql:// or postgres://")
        }
        let user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? ""
        guard !user.isEmpty else { throw invalid("no user name (postgresql://user@host/database)") }
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding
        guard let database, !database.isEmpty else { throw invalid("no database name (postgresql://user@host/database)") }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let port = components.port ?? query["port"].flatMap { Int($0) } ?? 5432

        var tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        case let other: throw invalid("sslmode \(other) is not one of disable, prefer, require")
        }

        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            client = .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            guard let host = components.host, !host.isEmpty else { throw invalid("no host (or ?host=/socket/dir)") }
            if host.hasPrefix("/") { tls = .disable }
            client = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        target = "\(Self.redacted(url))"
        if let max = query["pool_max"] {
            guard let n = Int(max), n > 0 else { throw invalid("pool_max must be a positive integer") }
            client.options.maximumConnections = n
        }
    }

    /// The URL without its password, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
