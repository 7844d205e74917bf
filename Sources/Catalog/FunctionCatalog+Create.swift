import Foundation

extension FunctionCatalog {
    /// CreateFunction.
    public func create(_ input: CreateFunctionInput) async throws -> FunctionDefinition {
        let id = try FunctionIdentifier.parse(input.functionName)
        if id.qualifier != nil {
            throw LambdaError.invalidParameter("Unqualified function name expected; the name must not include a version or alias: \(input.functionName)")
        }
        if id.region.map({ $0 != arns.region }) ?? false || id.accountId.map({ $0 != arns.accountId }) ?? false {
            throw LambdaError.invalidParameter("The function ARN must be in region \(arns.region) and account \(arns.accountId).")
        }
        let packageType = input.packageType ?? "Zip"
        try FieldValidator.oneOf(packageType, ["Zip", "Image"], field: "packageType")
        if packageType == "Image" {
            throw LambdaError.invalidParameter("PackageType Image is not supported by this server yet; deploy a .zip file archive.")
        }
        guard input.settings.runtime != nil, input.settings.handler != nil else {
            throw LambdaError.invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
        }
        guard input.settings.role != nil else {
            throw LambdaError.invalidParameter("Role is a required parameter.")
        }
        let architectures = try checkArchitectures(input.architectures)
        try FieldValidator.tags(input.tags)
        try FieldValidator.tagCount(input.tags.count)
        let zip = try requireZip(input.zipFile, s3Location: input.s3Location, operation: "CreateFunction")

        var definition = FunctionDefinition(
            name: id.name, runtime: nil, role: "", handler: nil, description: "",
            timeout: 3, memorySize: 128, ephemeralStorageSize: 512, environment: nil,
            tracingMode: "PassThrough", architectures: architectures, layers: [], packageType: packageType,
            logFormat: "Text", logGroup: nil, deadLetterTargetArn: nil, kmsKeyArn: nil,
            code: .init(digest: .init(of: Data()), size: 0, unzippedSize: 0),
            lastModified: now(), revisionId: UUID().uuidString.lowercased()
        )
        try apply(input.settings, to: &definition)
        if let dlq = definition.deadLetterTargetArn { try await requireRoleMaySend(definition, to: dlq) }
        if let layers = input.settings.layers { definition.layers = try await resolveLayers(layers) }
        let package = try CodePackage(zip: zip, operation: "CreateFunction")
        definition.code = .init(digest: .init(of: Data()), size: package.bytes.count, unzippedSize: package.unzippedSize)
        try checkUnzippedSize(definition)
        definition.code = try await storeCode(package)
        do {
            try await store.createFunction(definition, tags: input.tags)
        } catch StoreError.alreadyExists {
            throw LambdaError.resourceConflict("Function already exist: \(id.name)")
        }
        logger.info("function created", metadata: ["function": "\(id.name)", "runtime": "\(definition.runtime ?? "")"])
        if input.publish {
            return try await publishVersion(id.name, codeSha256: nil, description: nil, revisionId: definition.revisionId)
        }
        return definition
    }

    /// The zip of a create or update-code request; S3 locations are refused until S3 is hosted here.
    func requireZip(_ zip: [UInt8]?, s3Location: String?, operation: String) throws(LambdaError) -> [UInt8] {
        if zip != nil, s3Location != nil {
            throw .invalidParameter("Please provide a ZipFile or an S3 location for the code, not both.")
        }
        if s3Location != nil {
            throw .invalidParameter("Code.S3Bucket is not supported by this server: upload the package inline as ZipFile.")
        }
        guard let zip else {
            throw .invalidParameter("Please provide a source for function code.")
        }
        return zip
    }

    func checkArchitectures(_ requested: [String]?) throws(LambdaError) -> [String] {
        guard let requested else { return [hostArchitecture] }
        if requested.count != 1 {
            throw .validation(field: "architectures", value: "[\(requested.joined(separator: ", "))]",
                              constraint: "Member must have length less than or equal to 1")
        }
        try FieldValidator.oneOf(requested[0], ["x86_64", "arm64"], field: "architectures.member")
        if requested[0] != hostArchitecture {
            throw .invalidParameter("Architecture \(requested[0]) cannot run on this host, which is \(hostArchitecture).")
        }
        return requested
    }

    /// Validates each given setting and applies it.
    func apply(_ s: FunctionSettings, to d: inout FunctionDefinition) throws(LambdaError) {
        if let v = s.runtime {
            try runtimes.check(v)
            d.runtime = v
        }
        if let v = s.role {
            try FieldValidator.role(v)
            if let executionRoles, !executionRoles.lambdaCanAssume(v) {
                throw .invalidParameter("The role defined for the function cannot be assumed by Lambda.")
            }
            d.role = v
        }
        if let v = s.handler {
            try FieldValidator.handler(v)
            d.handler = v
        }
        if let v = s.description {
            try FieldValidator.maxLength(v, FieldValidator.maxDescriptionLength, field: "description")
            d.description = v
        }
        if let v = s.timeout {
            try FieldValidator.range(v, FieldValidator.timeoutRange, field: "timeout")
            d.timeout = v
        }
        if let v = s.memorySize {
            try FieldValidator.range(v, FieldValidator.memoryRange, field: "memorySize")
            d.memorySize = v
        }
        if let v = s.ephemeralStorageSize {
            try FieldValidator.range(v, FieldValidator.ephemeralStorageRange, field: "ephemeralStorage.size")
            d.ephemeralStorageSize = v
        }
        if let v = s.environment {
            try EnvironmentValidator.validate(v)
            d.environment = v
        }
        if let v = s.tracingMode {
            try FieldValidator.oneOf(v, FieldValidator.tracingModes, field: "tracingConfig.mode")
            d.tracingMode = v
        }
        if let v = s.layers {
            // Resolved against the layer store by `resolveLayers`; only the form is checked here.
            try FieldValidator.layers(v)
        }
        try applyLogging(s, to: &d)
        if let v = s.deadLetterTargetArn {
            d.deadLetterTargetArn = v.isEmpty ? nil : v
        }
        if let v = s.kmsKeyArn {
            d.kmsKeyArn = v.isEmpty ? nil : v
        }
        if let v = s.snapStart {
            d.snapStart = v == "None" ? nil : v
        }
        if d.snapStart != nil, let runtime = d.runtime, !RuntimeRegistry.supportsSnapStart(runtime) {
            throw .invalidParameter("\(runtime) is not supported for SnapStart enabled functions.")
        }
        if d.snapStart != nil, d.ephemeralStorageSize > 512 {
            throw .invalidParameter("SnapStart is not supported for functions with ephemeral storage greater than 512 MB.")
        }
    }

    /// `LoggingConfig`: members not given keep their values. Log levels exist only with the JSON format (INFO
    /// unless given); asking for one while the format is, or stays, Text is refused as Lambda refuses it.
    func applyLogging(_ s: FunctionSettings, to d: inout FunctionDefinition) throws(LambdaError) {
        if let v = s.logFormat {
            try FieldValidator.oneOf(v, FieldValidator.logFormats, field: "loggingConfig.logFormat")
        }
        if let v = s.applicationLogLevel {
            try FieldValidator.oneOf(v, FieldValidator.applicationLogLevels, field: "loggingConfig.applicationLogLevel")
        }
        if let v = s.systemLogLevel {
            try FieldValidator.oneOf(v, FieldValidator.systemLogLevels, field: "loggingConfig.systemLogLevel")
        }
        if let v = s.logGroup {
            if !v.isEmpty { try FieldValidator.logGroup(v) }
            d.logGroup = v.isEmpty ? nil : v
        }
        let format = s.logFormat ?? d.logFormat
        if format == "JSON" {
            d.applicationLogLevel = s.applicationLogLevel ?? d.applicationLogLevel ?? "INFO"
            d.systemLogLevel = s.systemLogLevel ?? d.systemLogLevel ?? "INFO"
        } else {
            if s.applicationLogLevel != nil || s.systemLogLevel != nil {
                throw .invalidParameter(
                    "LogLevel is not supported when LogFormat is set to \"Text\". Remove LogLevel from your request or change the LogFormat to \"JSON\" and try again.")
            }
            d.applicationLogLevel = nil
            d.systemLogLevel = nil
        }
        d.logFormat = format
    }
}
