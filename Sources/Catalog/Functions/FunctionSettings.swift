/// Configuration a caller sets on create or changes on update; nil means "not given".
public struct FunctionSettings: Sendable, Equatable {
    public var runtime: String?
    public var role: String?
    public var handler: String?
    public var description: String?
    public var timeout: Int?
    public var memorySize: Int?
    public var ephemeralStorageSize: Int?
    public var environment: [String: String]?
    public var tracingMode: String?
    public var layers: [String]?
    public var logFormat: String?
    public var logGroup: String?
    public var applicationLogLevel: String?
    public var systemLogLevel: String?
    public var deadLetterTargetArn: String?
    public var kmsKeyArn: String?
    /// `SnapStart.ApplyOn`: `PublishedVersions` or `None`.
    public var snapStart: String?

    public init(
        runtime: String? = nil, role: String? = nil, handler: String? = nil, description: String? = nil,
        timeout: Int? = nil, memorySize: Int? = nil, ephemeralStorageSize: Int? = nil,
        environment: [String: String]? = nil, tracingMode: String? = nil, layers: [String]? = nil,
        logFormat: String? = nil, logGroup: String? = nil, applicationLogLevel: String? = nil, systemLogLevel: String? = nil,
        deadLetterTargetArn: String? = nil, kmsKeyArn: String? = nil, snapStart: String? = nil
    ) {
        self.runtime = runtime
        self.role = role
        self.handler = handler
        self.description = description
        self.timeout = timeout
        self.memorySize = memorySize
        self.ephemeralStorageSize = ephemeralStorageSize
        self.environment = environment
        self.tracingMode = tracingMode
        self.layers = layers
        self.logFormat = logFormat
        self.logGroup = logGroup
        self.applicationLogLevel = applicationLogLevel
        self.systemLogLevel = systemLogLevel
        self.deadLetterTargetArn = deadLetterTargetArn
        self.kmsKeyArn = kmsKeyArn
        self.snapStart = snapStart
    }
}

/// Everything CreateFunction takes.
public struct CreateFunctionInput: Sendable {
    public var functionName: String
    public var settings: FunctionSettings
    public var zipFile: [UInt8]?
    public var s3Location: String?
    public var packageType: String?
    public var architectures: [String]?
    public var tags: [String: String]
    public var publish: Bool

    public init(functionName: String, settings: FunctionSettings, zipFile: [UInt8]?, s3Location: String? = nil,
                packageType: String? = nil, architectures: [String]? = nil, tags: [String: String] = [:], publish: Bool = false) {
        self.functionName = functionName
        self.settings = settings
        self.zipFile = zipFile
        self.s3Location = s3Location
        self.packageType = packageType
        self.architectures = architectures
        self.tags = tags
        self.publish = publish
    }
}

/// Everything UpdateFunctionCode takes.
public struct UpdateFunctionCodeInput: Sendable {
    public var functionName: String
    public var zipFile: [UInt8]?
    public var s3Location: String?
    public var revisionId: String?
    public var dryRun: Bool
    public var publish: Bool
    public var architectures: [String]?

    public init(functionName: String, zipFile: [UInt8]?, s3Location: String? = nil, revisionId: String? = nil,
                dryRun: Bool = false, publish: Bool = false, architectures: [String]? = nil) {
        self.functionName = functionName
        self.zipFile = zipFile
        self.s3Location = s3Location
        self.revisionId = revisionId
        self.dryRun = dryRun
        self.publish = publish
        self.architectures = architectures
    }
}
