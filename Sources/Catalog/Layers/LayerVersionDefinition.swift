import Foundation

/// One immutable version of a layer: a zip extracted into `/opt` of the functions that use it.
public struct LayerVersionDefinition: Codable, Sendable, Equatable {
    public var layerName: String
    public var version: Int
    public var description: String
    public var compatibleRuntimes: [String]?
    public var compatibleArchitectures: [String]?
    public var licenseInfo: String?
    public var content: FunctionDefinition.CodeIdentity
    public var createdDate: Date

    public init(layerName: String, version: Int, description: String, compatibleRuntimes: [String]?,
                compatibleArchitectures: [String]?, licenseInfo: String?, content: FunctionDefinition.CodeIdentity,
                createdDate: Date) {
        self.layerName = layerName
        self.version = version
        self.description = description
        self.compatibleRuntimes = compatibleRuntimes
        self.compatibleArchitectures = compatibleArchitectures
        self.licenseInfo = licenseInfo
        self.content = content
        self.createdDate = createdDate
    }
}

/// A layer version named by ARN: `arn:aws:lambda:<region>:<account>:layer:<name>:<version>`.
public struct LayerVersionIdentifier: Sendable, Equatable {
    public var region: String
    public var accountId: String
    public var name: String
    public var version: Int

    public static func parse(_ arn: String) -> LayerVersionIdentifier? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 8, parts[0] == "arn", parts[2] == "lambda", parts[5] == "layer",
              let version = Int(parts[7]), version > 0 else { return nil }
        return LayerVersionIdentifier(region: parts[3], accountId: parts[4], name: parts[6], version: version)
    }
}
