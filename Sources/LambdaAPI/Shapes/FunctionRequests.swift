import Foundation

/// `FunctionCode` of CreateFunction.
public struct FunctionCode: Codable, Sendable {
    public var ZipFile: Data?
    public var S3Bucket: String?
    public var S3Key: String?
    public var S3ObjectVersion: String?
    public var ImageUri: String?
}

/// Body of CreateFunction.
public struct CreateFunctionRequest: Codable, Sendable {
    public var FunctionName: String?
    public var Runtime: String?
    public var Role: String?
    public var Handler: String?
    public var Code: FunctionCode?
    public var Description: String?
    public var Timeout: Int?
    public var MemorySize: Int?
    public var Publish: Bool?
    public var PackageType: String?
    public var Environment: Environment?
    public var TracingConfig: TracingConfig?
    public var Tags: [String: String]?
    public var Layers: [String]?
    public var Architectures: [String]?
    public var EphemeralStorage: EphemeralStorage?
    public var LoggingConfig: LoggingConfig?
    public var DeadLetterConfig: DeadLetterConfig?
    public var KMSKeyArn: String?
    public var SnapStart: SnapStart?
}

/// Body of UpdateFunctionCode.
public struct UpdateFunctionCodeRequest: Codable, Sendable {
    public var ZipFile: Data?
    public var S3Bucket: String?
    public var S3Key: String?
    public var S3ObjectVersion: String?
    public var ImageUri: String?
    public var Publish: Bool?
    public var DryRun: Bool?
    public var RevisionId: String?
    public var Architectures: [String]?
}

/// Body of UpdateFunctionConfiguration.
public struct UpdateFunctionConfigurationRequest: Codable, Sendable {
    public var Role: String?
    public var Handler: String?
    public var Description: String?
    public var Timeout: Int?
    public var MemorySize: Int?
    public var Environment: Environment?
    public var Runtime: String?
    public var TracingConfig: TracingConfig?
    public var RevisionId: String?
    public var Layers: [String]?
    public var EphemeralStorage: EphemeralStorage?
    public var LoggingConfig: LoggingConfig?
    public var DeadLetterConfig: DeadLetterConfig?
    public var KMSKeyArn: String?
    public var SnapStart: SnapStart?
}
