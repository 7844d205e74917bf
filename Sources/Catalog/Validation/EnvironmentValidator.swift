import Foundation

/// Rules for `Environment.Variables`: key syntax, reserved keys, the 4 KB limit.
public enum EnvironmentValidator {
    public static let maxBytes = 4096

    /// Keys Lambda sets itself and refuses from callers.
    public static let reservedKeys: Set<String> = [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ]

    public static func validate(_ variables: [String: String]) throws(LambdaError) {
        let reserved = variables.keys.filter { reservedKeys.contains($0) }.sorted()
        if !reserved.isEmpty {
            throw .invalidParameter(
                "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: \(reserved.joined(separator: ", "))")
        }
        let keyPattern = "[a-zA-Z]([a-zA-Z0-9_])+"
        for key in variables.keys.sorted() where !FieldValidator.matches(key, keyPattern) {
            throw .validation(field: "environment.variables", value: rendered(variables, hideValues: true),
                              constraint: "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: \(keyPattern)]")
        }
        let size = measuredSize(variables)
        if size > maxBytes {
            throw .invalidParameter(
                "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: \(size) bytes")
        }
    }

    /// Size as Lambda measures it: the JSON object of the variables.
    static func measuredSize(_ variables: [String: String]) -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(variables).count) ?? Int.max
    }

    private static func rendered(_ variables: [String: String], hideValues: Bool) -> String {
        "{" + variables.keys.sorted().map { "\($0)=\(hideValues ? "****" : variables[$0]!)" }.joined(separator: ", ") + "}"
    }
}
