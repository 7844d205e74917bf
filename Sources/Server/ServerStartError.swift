/// Why the server could not start, in words that name the flag to change.
public enum ServerStartError: Error, CustomStringConvertible {
    /// The function URL / HTTP API listener could not bind (another server on the same `--http-port`?).
    case httpListener(host: String, port: Int, reason: String)
    /// The database of `--database-url` is malformed, unreachable or refused us.
    case database(reason: String)

    public var description: String {
        switch self {
        case .httpListener(let host, let port, let reason):
            "cannot listen for function URLs and HTTP APIs on \(host):\(port) (\(reason)); "
                + "choose another --http-port (0 picks a free one)"
        case .database(let reason):
            "cannot use the database of --database-url (or SWIFTLET_DATABASE_URL): \(reason)"
        }
    }
}
