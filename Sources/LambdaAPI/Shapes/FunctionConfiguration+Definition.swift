import AWSProtocol
import Catalog

extension FunctionConfiguration {
    /// The wire shape of a catalog definition; `qualifier` makes the ARN qualified when the caller asked with one.
    init(_ d: FunctionDefinition, arns: ARNBuilder, qualifier: String? = nil) {
        self.init(
            FunctionName: d.name,
            FunctionArn: arns.function(d.name, qualifier: qualifier ?? d.publishedVersion.map(String.init)),
            Runtime: d.runtime,
            Role: d.role,
            Handler: d.handler,
            CodeSize: d.code.size,
            Description: d.description,
            Timeout: d.timeout,
            MemorySize: d.memorySize,
            LastModified: AWSTimestamp.lambdaString(d.lastModified),
            CodeSha256: d.code.sha256Base64,
            Version: d.version,
            Environment: d.environment.map { LambdaAPI.EnvironmentResponse(Variables: $0) },
            TracingConfig: LambdaAPI.TracingConfigResponse(Mode: d.tracingMode),
            RevisionId: d.revisionId,
            Layers: d.layers.isEmpty ? nil : d.layers.map { LambdaAPI.Layer(Arn: $0.arn, CodeSize: $0.size) },
            State: "Active",
            StateReason: nil,
            StateReasonCode: nil,
            LastUpdateStatus: "Successful",
            PackageType: d.packageType,
            Architectures: d.architectures,
            EphemeralStorage: LambdaAPI.EphemeralStorage(Size: d.ephemeralStorageSize),
            LoggingConfig: LambdaAPI.LoggingConfig(LogFormat: d.logFormat, ApplicationLogLevel: d.applicationLogLevel,
                                                   SystemLogLevel: d.systemLogLevel, LogGroup: d.logGroup ?? "/aws/lambda/\(d.name)"),
            SnapStart: LambdaAPI.SnapStartResponse(
                ApplyOn: d.snapStart ?? "None",
                OptimizationStatus: d.snapStart != nil && d.publishedVersion != nil ? "On" : "Off"),
            DeadLetterConfig: d.deadLetterTargetArn.map { LambdaAPI.DeadLetterConfig(TargetArn: $0) },
            KMSKeyArn: d.kmsKeyArn
        )
    }
}

/// The configuration members CreateFunction and UpdateFunctionConfiguration share.
protocol FunctionSettingsShape {
    var Runtime: String? { get }
    var Role: String? { get }
    var Handler: String? { get }
    var Description: String? { get }
    var Timeout: Int? { get }
    var MemorySize: Int? { get }
    var EphemeralStorage: EphemeralStorage? { get }
    var Environment: Environment? { get }
    var TracingConfig: TracingConfig? { get }
    var Layers: [String]? { get }
    var LoggingConfig: LoggingConfig? { get }
    var DeadLetterConfig: DeadLetterConfig? { get }
    var KMSKeyArn: String? { get }
    var SnapStart: SnapStart? { get }
}

extension CreateFunctionRequest: FunctionSettingsShape {}
extension UpdateFunctionConfigurationRequest: FunctionSettingsShape {}

extension FunctionSettings {
    init(_ r: some FunctionSettingsShape) {
        self.init(
            runtime: r.Runtime, role: r.Role, handler: r.Handler, description: r.Description,
            timeout: r.Timeout, memorySize: r.MemorySize, ephemeralStorageSize: r.EphemeralStorage?.Size,
            environment: r.Environment.map { $0.Variables ?? [:] }, tracingMode: r.TracingConfig?.Mode, layers: r.Layers,
            logFormat: r.LoggingConfig?.LogFormat, logGroup: r.LoggingConfig?.LogGroup,
            applicationLogLevel: r.LoggingConfig?.ApplicationLogLevel, systemLogLevel: r.LoggingConfig?.SystemLogLevel,
            deadLetterTargetArn: r.DeadLetterConfig?.TargetArn, kmsKeyArn: r.KMSKeyArn, snapStart: r.SnapStart?.ApplyOn
        )
    }
}
