import Foundation

/// Everything PublishLayerVersion takes.
public struct PublishLayerVersionInput: Sendable {
    public var layerName: String
    public var description: String?
    public var zipFile: [UInt8]?
    public var s3Location: String?
    public var compatibleRuntimes: [String]?
    public var compatibleArchitectures: [String]?
    public var licenseInfo: String?

    public init(layerName: String, description: String?, zipFile: [UInt8]?, s3Location: String?,
                compatibleRuntimes: [String]?, compatibleArchitectures: [String]?, licenseInfo: String?) {
        self.layerName = layerName
        self.description = description
        self.zipFile = zipFile
        self.s3Location = s3Location
        self.compatibleRuntimes = compatibleRuntimes
        self.compatibleArchitectures = compatibleArchitectures
        self.licenseInfo = licenseInfo
    }
}

/// A layer with its newest version matching a ListLayers filter.
public struct LayerSummary: Sendable {
    public var layerName: String
    public var latest: LayerVersionDefinition
}

extension FunctionCatalog {
    static let layerNamePattern = "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+"

    public func layerArn(_ name: String) -> String {
        "arn:aws:lambda:\(arns.region):\(arns.accountId):layer:\(name)"
    }

    public func layerVersionArn(_ layer: LayerVersionDefinition) -> String {
        layerArn(layer.layerName) + ":\(layer.version)"
    }

    /// A layer named by name or layer ARN (of this region and account).
    func layerName(_ value: String) throws -> String {
        if value.isEmpty || value.utf8.count > 140 {
            throw LambdaError.validation(field: "layerName", value: value, constraint: "Member must have length between 1 and 140")
        }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let name: String
        if parts.count == 7, parts[0] == "arn", parts[2] == "lambda", parts[5] == "layer" {
            guard parts[3] == arns.region, parts[4] == arns.accountId else {
                throw LambdaError.resourceNotFound("Layer not found: \(value)")
            }
            name = parts[6]
        } else if parts.count == 1 {
            name = value
        } else {
            name = ""
        }
        guard !name.isEmpty, name.utf8.allSatisfy(FunctionIdentifier.isNameByte) else {
            throw LambdaError.validation(field: "layerName", value: value, constraint: "Member must satisfy regular expression pattern: \(Self.layerNamePattern)")
        }
        return name
    }

    /// PublishLayerVersion.
    public func publishLayerVersion(_ input: PublishLayerVersionInput) async throws -> LayerVersionDefinition {
        let name = try layerName(input.layerName)
        if let description = input.description {
            try FieldValidator.maxLength(description, FieldValidator.maxDescriptionLength, field: "description")
        }
        if let license = input.licenseInfo {
            try FieldValidator.maxLength(license, 512, field: "licenseInfo")
        }
        if let runtimes = input.compatibleRuntimes {
            if runtimes.count > 15 {
                throw LambdaError.validation(field: "compatibleRuntimes", value: "[\(runtimes.joined(separator: ", "))]",
                                             constraint: "Member must have length less than or equal to 15")
            }
            for runtime in runtimes where !RuntimeRegistry.knownIdentifiers.contains(runtime) {
                throw LambdaError.validation(field: "compatibleRuntimes", value: "[\(runtimes.joined(separator: ", "))]",
                                             constraint: "Member must satisfy enum value set: [\(RuntimeRegistry.knownIdentifiers.sorted().joined(separator: ", "))]")
            }
        }
        if let architectures = input.compatibleArchitectures {
            if architectures.count > 2 {
                throw LambdaError.validation(field: "compatibleArchitectures", value: "[\(architectures.joined(separator: ", "))]",
                                             constraint: "Member must have length less than or equal to 2")
            }
            for a in architectures { try FieldValidator.oneOf(a, ["x86_64", "arm64"], field: "compatibleArchitectures.member") }
        }
        let zip = try requireZip(input.zipFile, s3Location: input.s3Location, operation: "PublishLayerVersion")
        let package = try CodePackage(zip: zip, operation: "PublishLayerVersion")
        let content = try await storeCode(package)
        let created = now()
        let layer = try await store.publishLayerVersion(named: name) { number in
            LayerVersionDefinition(
                layerName: name, version: number, description: input.description ?? "",
                compatibleRuntimes: input.compatibleRuntimes.flatMap { $0.isEmpty ? nil : $0 },
                compatibleArchitectures: input.compatibleArchitectures.flatMap { $0.isEmpty ? nil : $0 },
                licenseInfo: input.licenseInfo, content: content, createdDate: created)
        }
        logger.info("layer version published", metadata: ["layer": "\(name)", "version": "\(layer.version)"])
        return layer
    }

    func layerVersionNumber(_ number: Int) throws -> Int {
        guard number >= 1 else {
            throw LambdaError.validation(field: "versionNumber", value: "\(number)", constraint: "Member must have value greater than or equal to 1")
        }
        return number
    }

    /// GetLayerVersion.
    public func layerVersion(_ layerName: String, number: Int) async throws -> LayerVersionDefinition {
        let name = try self.layerName(layerName)
        guard let layer = try await store.layerVersion(try layerVersionNumber(number), of: name) else {
            throw LambdaError.resourceNotFound("The resource you requested does not exist.")
        }
        return layer
    }

    /// GetLayerVersionByArn.
    public func layerVersion(arn: String) async throws -> LayerVersionDefinition {
        guard let id = LayerVersionIdentifier.parse(arn) else {
            throw LambdaError.validation(field: "arn", value: arn, constraint: "Member must satisfy regular expression pattern: \(FieldValidator.layerPattern)")
        }
        guard id.region == arns.region, id.accountId == arns.accountId, let layer = try await store.layerVersion(id.version, of: id.name) else {
            throw LambdaError.resourceNotFound("The resource you requested does not exist.")
        }
        return layer
    }

    /// ListLayerVersions, newest first, optionally only those compatible with a runtime and architecture.
    public func layerVersions(_ layerName: String, runtime: String?, architecture: String?) async throws -> [LayerVersionDefinition] {
        let name = try self.layerName(layerName)
        return try await store.layerVersions(of: name).filter { Self.matches($0, runtime: runtime, architecture: architecture) }
    }

    /// ListLayers: each layer with its newest version matching the filter.
    public func layers(runtime: String?, architecture: String?) async throws -> [LayerSummary] {
        var summaries: [LayerSummary] = []
        for layer in try await store.allLayerVersions() where Self.matches(layer, runtime: runtime, architecture: architecture) {
            if summaries.last?.layerName != layer.layerName {
                summaries.append(LayerSummary(layerName: layer.layerName, latest: layer))
            }
        }
        return summaries
    }

    static func matches(_ layer: LayerVersionDefinition, runtime: String?, architecture: String?) -> Bool {
        if let runtime, !(layer.compatibleRuntimes ?? []).contains(runtime) { return false }
        if let architecture, !(layer.compatibleArchitectures ?? []).contains(architecture) { return false }
        return true
    }

    /// DeleteLayerVersion: functions that use it keep their copy.
    public func deleteLayerVersion(_ layerName: String, number: Int) async throws {
        let name = try self.layerName(layerName)
        try await store.deleteLayerVersion(try layerVersionNumber(number), of: name)
    }

    /// The layer versions a function names, in order, with their content.
    func resolveLayers(_ arns: [String]) async throws -> [FunctionLayer] {
        let names = arns.compactMap { LayerVersionIdentifier.parse($0)?.name }
        if Set(names).count != names.count {
            throw LambdaError.invalidParameter("Two different versions of the same layer are not allowed to be referenced in the same function.")
        }
        var layers: [FunctionLayer] = []
        for arn in arns {
            guard let id = LayerVersionIdentifier.parse(arn), id.region == self.arns.region, id.accountId == self.arns.accountId,
                  let layer = try await store.layerVersion(id.version, of: id.name) else {
                throw LambdaError.invalidParameter("Layer version \(arn) does not exist.")
            }
            layers.append(FunctionLayer(arn: arn, digest: layer.content.digest, size: layer.content.size, unzippedSize: layer.content.unzippedSize))
        }
        return layers
    }

    /// Code plus layers, unzipped, within Lambda's 250 MB.
    func checkUnzippedSize(_ d: FunctionDefinition) throws {
        let total = d.unzippedSizeWithLayers
        if total > CodePackage.maxUnzippedBytes {
            throw LambdaError.invalidParameter(
                "Function code combined with layers exceeds the maximum allowed size of \(CodePackage.maxUnzippedBytes) bytes. The actual size is \(total) bytes.")
        }
    }
}
