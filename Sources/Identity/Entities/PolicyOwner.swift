/// An identity that holds inline policies and managed-policy attachments.
public enum PolicyOwner: Hashable, Sendable, Codable {
    case user(String)
    case group(String)
    case role(String)

    public var kind: String {
        switch self {
        case .user: "user"
        case .group: "group"
        case .role: "role"
        }
    }

    public var name: String {
        switch self {
        case .user(let n), .group(let n), .role(let n): n
        }
    }

    public init?(kind: String, name: String) {
        switch kind {
        case "user": self = .user(name)
        case "group": self = .group(name)
        case "role": self = .role(name)
        default: return nil
        }
    }
}
