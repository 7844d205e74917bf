import Foundation

/// Field rules of the Lambda API, each failure worded as AWS words it and naming the field.
public enum FieldValidator {
    public static let memoryRange = 128...10240
    public static let timeoutRange = 1...900
    public static let ephemeralStorageRange = 512...10240
    public static let maxDescriptionLength = 256
    public static let maxHandlerLength = 128
    public static let maxLayers = 5
    public static let maxTags = 50
    public static let tracingModes = ["Active", "PassThrough"]
    public static let logFormats = ["Text", "JSON"]
    public static let applicationLogLevels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
    public static let systemLogLevels = ["DEBUG", "INFO", "WARN"]
    public static let logGroupPattern = "[\\.\\-_/#A-Za-z0-9]+"
    public static let rolePattern = "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+"
    public static let handlerPattern = "[^\\s]+"
    public static let layerPattern = "arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+"

    public static func range(_ value: Int, _ range: ClosedRange<Int>, field: String) throws(LambdaError) {
        if value < range.lowerBound {
            throw .validation(field: field, value: String(value), constraint: "Member must have value greater than or equal to \(range.lowerBound)")
        }
        if value > range.upperBound {
            throw .validation(field: field, value: String(value), constraint: "Member must have value less than or equal to \(range.upperBound)")
        }
    }

    public static func maxLength(_ value: String, _ max: Int, field: String) throws(LambdaError) {
        if value.utf16.count > max {
            throw .validation(field: field, value: value, constraint: "Member must have length less than or equal to \(max)")
        }
    }

    public static func handler(_ value: String) throws(LambdaError) {
        try maxLength(value, maxHandlerLength, field: "handler")
        if value.isEmpty || value.unicodeScalars.contains(where: { CharacterSet.whitespacesAndNewlines.contains($0) }) {
            throw .validation(field: "handler", value: value, constraint: "Member must satisfy regular expression pattern: \(handlerPattern)")
        }
    }

    public static func role(_ value: String) throws(LambdaError) {
        if !matches(value, rolePattern) {
            throw .validation(field: "role", value: value, constraint: "Member must satisfy regular expression pattern: \(rolePattern)")
        }
    }

    public static func oneOf(_ value: String, _ allowed: [String], field: String) throws(LambdaError) {
        if !allowed.contains(value) {
            throw .validation(field: field, value: value, constraint: "Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
        }
    }

    public static func layers(_ arns: [String]) throws(LambdaError) {
        if arns.count > maxLayers {
            throw .validation(field: "layers", value: "[\(arns.joined(separator: ", "))]",
                              constraint: "Member must have length less than or equal to \(maxLayers)")
        }
        for arn in arns where !matches(arn, layerPattern) {
            throw .validation(field: "layers", value: "[\(arns.joined(separator: ", "))]",
                              constraint: "Member must satisfy constraint: [Member must satisfy regular expression pattern: \(layerPattern)]")
        }
    }

    public static func tags(_ tags: [String: String]) throws(LambdaError) {
        for (key, value) in tags {
            if key.isEmpty || key.utf16.count > 128 {
                throw .invalidParameter("Tag keys must be between 1 and 128 characters. Invalid key: \(key)")
            }
            if value.utf16.count > 256 {
                throw .invalidParameter("Tag values must be at most 256 characters. Invalid value for key: \(key)")
            }
            if key.lowercased().hasPrefix("aws:") {
                throw .invalidParameter("Tag keys cannot start with the reserved prefix 'aws:'. Invalid key: \(key)")
            }
        }
    }

    public static func tagCount(_ count: Int) throws(LambdaError) {
        if count > maxTags {
            throw .invalidParameter("Number of tags exceeds resource tag limit of \(maxTags).")
        }
    }

    /// `LoggingConfig.LogGroup`: 1 to 512 characters of CloudWatch Logs' group-name alphabet.
    public static func logGroup(_ value: String) throws(LambdaError) {
        try maxLength(value, 512, field: "loggingConfig.logGroup")
        if !matches(value, logGroupPattern) {
            throw .validation(field: "loggingConfig.logGroup", value: value,
                              constraint: "Member must satisfy regular expression pattern: \(logGroupPattern)")
        }
    }

    static func matches(_ value: String, _ pattern: String) -> Bool {
        value.range(of: "^(?:\(pattern))$", options: .regularExpression) != nil
    }
}
