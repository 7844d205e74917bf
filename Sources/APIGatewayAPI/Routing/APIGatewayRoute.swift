/// An API Gateway v2 operation recognised from its method and path (`/v2/apis/{apiId}/routes/{routeId}`, …),
/// with the path labels it carries.
public enum APIGatewayRoute: Equatable, Sendable {
    /// Collections inside an API.
    public enum Child: String, Sendable {
        case routes, integrations, stages, deployments, authorizers
    }

    case createApi
    case getApis
    case getApi(String)
    case updateApi(String)
    case deleteApi(String)
    case deleteCorsConfiguration(String)
    case create(Child, apiId: String)
    case list(Child, apiId: String)
    case get(Child, apiId: String, id: String)
    case update(Child, apiId: String, id: String)
    case delete(Child, apiId: String, id: String)
    case tagResource(String)
    case untagResource(String)
    case getTags(String)

    public static let pathPrefix = "v2"

    /// Whether the path belongs to this API (first segment `v2`).
    public static func claims(_ segments: [String]) -> Bool {
        segments.first == pathPrefix
    }

    /// The operation for `method` and the decoded path `segments`, or nil.
    public static func match(method: String, segments: [String]) -> APIGatewayRoute? {
        guard segments.first == pathPrefix else { return nil }
        let path = Array(segments.dropFirst())
        switch (method, path.count) {
        case ("POST", 1) where path[0] == "apis": return .createApi
        case ("GET", 1) where path[0] == "apis": return .getApis
        case (_, 2) where path[0] == "tags":
            switch method {
            case "POST": return .tagResource(path[1])
            case "DELETE": return .untagResource(path[1])
            case "GET": return .getTags(path[1])
            default: return nil
            }
        case (_, 2) where path[0] == "apis":
            switch method {
            case "GET": return .getApi(path[1])
            case "PATCH": return .updateApi(path[1])
            case "DELETE": return .deleteApi(path[1])
            default: return nil
            }
        case ("DELETE", 3) where path[0] == "apis" && path[2] == "cors": return .deleteCorsConfiguration(path[1])
        case (_, 3) where path[0] == "apis":
            guard let child = Child(rawValue: path[2]) else { return nil }
            switch method {
            case "POST": return .create(child, apiId: path[1])
            case "GET": return .list(child, apiId: path[1])
            default: return nil
            }
        case (_, 4) where path[0] == "apis":
            guard let child = Child(rawValue: path[2]) else { return nil }
            switch method {
            case "GET": return .get(child, apiId: path[1], id: path[3])
            case "PATCH" where child != .deployments: return .update(child, apiId: path[1], id: path[3])
            case "DELETE": return .delete(child, apiId: path[1], id: path[3])
            default: return nil
            }
        default: return nil
        }
    }
}
