/// Why a shared secret could not be had.
public enum ClusterSecretError: Error, CustomStringConvertible {
    /// Stored, then gone before it could be read back (someone deleted it meanwhile).
    case vanished(String)

    public var description: String {
        switch self {
        case .vanished(let name): "the cluster secret \(name) was deleted while it was being read"
        }
    }
}
