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
    case invokeWithResponseStream(String)
    case publishVersion(String)
    case listVersions(String)
    case createAlias(String)
    case listAliases(String)
    case getAlias(function: String, alias: String)
    case updateAlias(function: String, alias: String)
    case deleteAlias(function: String, alias: String)
    case addPermission(String)
    case getPolicy(String)
    case removePermission(function: String, statementId: String)
    case putFunctionConcurrency(String)
    case getFunctionConcurrency(String)
    case deleteFunctionConcurrency(String)
    case putProvisionedConcurrency(String)
    case getProvisionedConcurrency(String)
    case listProvisionedConcurrency(String)
    case deleteProvisionedConcurrency(String)
    case createEventSourceMapping
    case listEventSourceMappings
    case getEventSourceMapping(String)
    case updateEventSourceMapping(String)
    case deleteEventSourceMapping(String)
    case putEventInvokeConfig(String)
    case getEventInvokeConfig(String)
    case updateEventInvokeConfig(String)
    case deleteEventInvokeConfig(String)
    case listEventInvokeConfigs(String)
    case listLayers
    case getLayerVersionByArn
    case publishLayerVersion(String)
    case listLayerVersions(String)
    case getLayerVersion(layer: String, version: String)
    case deleteLayerVersion(layer: String, version: String)
    case addLayerVersionPermission(layer: String, version: String)
    case getLayerVersionPolicy(layer: String, version: String)
    case removeLayerVersionPermission(layer: String, version: String, statementId: String)
    case createFunctionUrlConfig(String)
    case getFunctionUrlConfig(String)
    case updateFunctionUrlConfig(String)
    case deleteFunctionUrlConfig(String)
    case listFunctionUrlConfigs(String)
    /// The presigned download of a function's zip (`Code.Location`).
    case downloadCode(function: String, digest: String)
    /// The presigned download of a layer version's zip (`Content.Location`).
    case downloadLayer(layer: String, version: String)

    /// The dated path prefixes of Lambda's REST API.
    public static let pathPrefixes: Set<String> = [
        "2014-11-13", "2015-03-31", "2016-08-19", "2017-03-31", "2017-10-31", "2018-10-31", "2019-09-25",
        "2019-09-30", "2020-04-22", "2020-06-30", "2021-07-20", "2021-10-31", "2021-11-15", "2024-08-31",
        "2025-11-30", "2025-12-01",
    ]

    /// The path prefix of Swiftlet's own Lambda paths (code downloads).
    public static let codePathPrefix = ["_swiftlet", "code"]
    public static let layerCodePathPrefix = ["_swiftlet", "layer"]

    /// Whether a path belongs to the Lambda service at all.
    public static func claims(_ segments: [String]) -> Bool {
        guard let first = segments.first else { return false }
        return pathPrefixes.contains(first) || Array(segments.prefix(2)) == codePathPrefix
            || Array(segments.prefix(2)) == layerCodePathPrefix
    }

    /// The operation for `method` on `segments` (percent-decoded, empty segments removed) and the query; nil when unknown.
    public static func match(method: String, segments s: [String], query: (String) -> String? = { _ in nil }) -> LambdaRoute? {
        guard let first = s.first else { return nil }
        if Array(s.prefix(2)) == codePathPrefix, method == "GET", s.count == 4 {
            return .downloadCode(function: s[2], digest: s[3])
        }
        if Array(s.prefix(2)) == layerCodePathPrefix, method == "GET", s.count == 4 {
            return .downloadLayer(layer: s[2], version: s[3])
        }
        let rest = Array(s.dropFirst())
        switch first {
        case "2015-03-31": return functions(method, rest)
        case "2016-08-19" where method == "GET" && rest == ["account-settings"]: return .getAccountSettings
        case "2017-03-31" where rest.count == 2 && rest[0] == "tags":
            switch method {
            case "POST": return .tagResource(rest[1])
            case "DELETE": return .untagResource(rest[1])
            case "GET": return .listTags(rest[1])
            default: return nil
            }
        case "2017-10-31" where rest.count == 3 && rest[0] == "functions" && rest[2] == "concurrency":
            switch method {
            case "PUT": return .putFunctionConcurrency(rest[1])
            case "DELETE": return .deleteFunctionConcurrency(rest[1])
            default: return nil
            }
        case "2019-09-30" where rest.count == 3 && rest[0] == "functions":
            return concurrency(method, function: rest[1], rest[2], list: query("List") != nil)
        case "2018-10-31": return layers(method, rest, find: query("find"))
        case "2021-10-31" where rest.count == 3 && rest[0] == "functions": return functionURLs(method, function: rest[1], rest[2])
        case "2021-11-15" where method == "POST" && rest.count == 3 && rest[0] == "functions" && rest[2] == "response-streaming-invocations":
            return .invokeWithResponseStream(rest[1])
        case "2019-09-25" where rest.count >= 3 && rest[0] == "functions" && rest[2] == "event-invoke-config":
            switch (method, rest.count) {
            case ("PUT", 3): return .putEventInvokeConfig(rest[1])
            case ("GET", 3): return .getEventInvokeConfig(rest[1])
            case ("POST", 3): return .updateEventInvokeConfig(rest[1])
            case ("DELETE", 3): return .deleteEventInvokeConfig(rest[1])
            case ("GET", 4) where rest[3] == "list": return .listEventInvokeConfigs(rest[1])
            default: return nil
            }
        default: return nil
        }
    }

    /// `/2015-03-31/…`: functions, versions, aliases, policies, invoke.
    private static func functions(_ method: String, _ s: [String]) -> LambdaRoute? {
        if s.first == "event-source-mappings" {
            switch (method, s.count) {
            case ("POST", 1): return .createEventSourceMapping
            case ("GET", 1): return .listEventSourceMappings
            case ("GET", 2): return .getEventSourceMapping(s[1])
            case ("PUT", 2): return .updateEventSourceMapping(s[1])
            case ("DELETE", 2): return .deleteEventSourceMapping(s[1])
            default: return nil
            }
        }
        guard s.first == "functions" else { return nil }
        switch (method, s.count) {
        case ("POST", 1): return .createFunction
        case ("GET", 1): return .listFunctions
        case ("GET", 2): return .getFunction(s[1])
        case ("DELETE", 2): return .deleteFunction(s[1])
        case (_, 3):
            switch (method, s[2]) {
            case ("GET", "configuration"): return .getFunctionConfiguration(s[1])
            case ("PUT", "configuration"): return .updateFunctionConfiguration(s[1])
            case ("PUT", "code"): return .updateFunctionCode(s[1])
            case ("POST", "invocations"): return .invoke(s[1])
            case ("POST", "versions"): return .publishVersion(s[1])
            case ("GET", "versions"): return .listVersions(s[1])
            case ("POST", "aliases"): return .createAlias(s[1])
            case ("GET", "aliases"): return .listAliases(s[1])
            case ("POST", "policy"): return .addPermission(s[1])
            case ("GET", "policy"): return .getPolicy(s[1])
            default: return nil
            }
        case (_, 4) where s[2] == "aliases":
            switch method {
            case "GET": return .getAlias(function: s[1], alias: s[3])
            case "PUT": return .updateAlias(function: s[1], alias: s[3])
            case "DELETE": return .deleteAlias(function: s[1], alias: s[3])
            default: return nil
            }
        case ("DELETE", 4) where s[2] == "policy":
            return .removePermission(function: s[1], statementId: s[3])
        default:
            return nil
        }
    }

    /// `/2019-09-30/functions/{name}/…`: reading reserved concurrency, provisioned concurrency.
    private static func concurrency(_ method: String, function: String, _ leaf: String, list: Bool) -> LambdaRoute? {
        switch (method, leaf) {
        case ("GET", "concurrency"): return .getFunctionConcurrency(function)
        case ("PUT", "provisioned-concurrency"): return .putProvisionedConcurrency(function)
        case ("GET", "provisioned-concurrency"): return list ? .listProvisionedConcurrency(function) : .getProvisionedConcurrency(function)
        case ("DELETE", "provisioned-concurrency"): return .deleteProvisionedConcurrency(function)
        default: return nil
        }
    }

    /// `/2021-10-31/functions/{name}/url` (one config, `Qualifier` in the query) and `…/urls` (the list).
    private static func functionURLs(_ method: String, function: String, _ leaf: String) -> LambdaRoute? {
        switch (method, leaf) {
        case ("POST", "url"): return .createFunctionUrlConfig(function)
        case ("GET", "url"): return .getFunctionUrlConfig(function)
        case ("PUT", "url"): return .updateFunctionUrlConfig(function)
        case ("DELETE", "url"): return .deleteFunctionUrlConfig(function)
        case ("GET", "urls"): return .listFunctionUrlConfigs(function)
        default: return nil
        }
    }

    /// `/2018-10-31/layers/…`.
    private static func layers(_ method: String, _ s: [String], find: String?) -> LambdaRoute? {
        guard s.first == "layers" else { return nil }
        switch (method, s.count) {
        case ("GET", 1): return find == "LayerVersion" ? .getLayerVersionByArn : .listLayers
        case ("POST", 3) where s[2] == "versions": return .publishLayerVersion(s[1])
        case ("GET", 3) where s[2] == "versions": return .listLayerVersions(s[1])
        case ("GET", 4) where s[2] == "versions": return .getLayerVersion(layer: s[1], version: s[3])
        case ("DELETE", 4) where s[2] == "versions": return .deleteLayerVersion(layer: s[1], version: s[3])
        case ("POST", 5) where s[2] == "versions" && s[4] == "policy": return .addLayerVersionPermission(layer: s[1], version: s[3])
        case ("GET", 5) where s[2] == "versions" && s[4] == "policy": return .getLayerVersionPolicy(layer: s[1], version: s[3])
        case ("DELETE", 6) where s[2] == "versions" && s[4] == "policy":
            return .removeLayerVersionPermission(layer: s[1], version: s[3], statementId: s[5])
        default: return nil
        }
    }
}
