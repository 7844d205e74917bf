/// Why the registry could not do what it was asked.
public enum NodeRegistryError: Error, CustomStringConvertible {
    case notRegistered(String)

    public var description: String {
        switch self {
        case .notRegistered(let id): "node \(id) is not registered"
        }
    }
}
