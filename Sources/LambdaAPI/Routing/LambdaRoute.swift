/// A Lambda REST operation recognised from its method and path, with the path labels it carries.
public enum LambdaRoute: Equatable, Sendable {
    case createFunction
    case listFunctions
    case getFunction(String)
    case deleteFunction(String)
    case getFunctionConfiguration(String)
    case updateFunctionConfiguration(String)
    case updateFunctionCode(String)
    case getAccountSettings
    case tagResource(String)
    case untagResource(String)
    case listTags(String)
    case invoke(String)
    /// The presigned download of a function's zip (`Code.Location`).
    case downloadCode(function: String, digest: String)

    /// The dated path prefixes of Lambda's REST API.
    public static let pathPrefixes: Set<String> = [
        "2014-11-13", "2015-03-31", "2016-08-19", "2017-03-31", "2017-10-31", "2018-10-31", "2019-09-25",
        "2019-09-30", "2020-04-22", "2020-06-30", "2021-07-20", "2021-10-31", "2021-11-15", "2024-08-31",
        "2025-11-30", "2025-12-01",
    ]

    /// The path prefix of Swiftlet's own Lambda paths (code downloads).
    public static let codePathPrefix = ["_swiftlet", "code"]

    /// Whether a path belongs to the Lambda service at all.
    public static func claims(_ segments: [String]) -> Bool {
        guard let first = segments.first else { return false }
        return pathPrefixes.contains(first) || Array(segments.prefix(2)) == codePathPrefix
    }

    /// The operation for `method` on `segments` (percent-decoded, empty segments removed); nil when unknown.
    public static func match(method: String, segments s: [String]) -> LambdaRoute? {
        switch (method, s.count) {
        case ("GET", 4) where Array(s.prefix(2)) == codePathPrefix:
            return .downloadCode(function: s[2], digest: s[3])
        case ("POST", 2) where s == ["2015-03-31", "functions"]:
            return .createFunction
        case ("GET", 2) where s == ["2015-03-31", "functions"]:
            return .listFunctions
        case ("GET", 3) where s[0] == "2015-03-31" && s[1] == "functions":
            return .getFunction(s[2])
        case ("DELETE", 3) where s[0] == "2015-03-31" && s[1] == "functions":
            return .deleteFunction(s[2])
        case (_, 4) where s[0] == "2015-03-31" && s[1] == "functions":
            switch (method, s[3]) {
            case ("GET", "configuration"): return .getFunctionConfiguration(s[2])
            case ("PUT", "configuration"): return .updateFunctionConfiguration(s[2])
            case ("PUT", "code"): return .updateFunctionCode(s[2])
            case ("POST", "invocations"): return .invoke(s[2])
            default: return nil
            }
        case ("GET", 2) where s == ["2016-08-19", "account-settings"]:
            return .getAccountSettings
        case (_, 3) where s[0] == "2017-03-31" && s[1] == "tags":
            switch method {
            case "POST": return .tagResource(s[2])
            case "DELETE": return .untagResource(s[2])
            case "GET": return .listTags(s[2])
            default: return nil
            }
        default:
            return nil
        }
    }
}
