import Foundation

/// `LayerVersionContentInput`.
public struct LayerVersionContentInput: Codable, Sendable {
    public var ZipFile: Data?
    public var S3Bucket: String?
    public var S3Key: String?
    public var S3ObjectVersion: String?
}

/// Body of PublishLayerVersion.
public struct PublishLayerVersionRequest: Codable, Sendable {
    public var Description: String?
    public var Content: LayerVersionContentInput?
    public var CompatibleRuntimes: [String]?
    public var CompatibleArchitectures: [String]?
    public var LicenseInfo: String?
}

/// `LayerVersionContentOutput`.
public struct LayerVersionContentOutput: Codable, Sendable, Equatable {
    public var Location: String
    public var CodeSha256: String
    public var CodeSize: Int
}

/// Response of PublishLayerVersion, GetLayerVersion and GetLayerVersionByArn.
public struct LayerVersionResponse: Codable, Sendable, Equatable {
    public var Content: LayerVersionContentOutput
    public var LayerArn: String
    public var LayerVersionArn: String
    public var Description: String
    public var CreatedDate: String
    public var Version: Int
    public var CompatibleRuntimes: [String]?
    public var CompatibleArchitectures: [String]?
    public var LicenseInfo: String?
}

/// `LayerVersionsListItem`.
public struct LayerVersionsListItem: Codable, Sendable, Equatable {
    public var LayerVersionArn: String
    public var Version: Int
    public var Description: String
    public var CreatedDate: String
    public var CompatibleRuntimes: [String]?
    public var CompatibleArchitectures: [String]?
    public var LicenseInfo: String?
}

/// `LayersListItem`.
public struct LayersListItem: Codable, Sendable, Equatable {
    public var LayerName: String
    public var LayerArn: String
    public var LatestMatchingVersion: LayerVersionsListItem
}

public struct ListLayersResponse: Codable, Sendable {
    public var Layers: [LayersListItem]
    public var NextMarker: String?
}

public struct ListLayerVersionsResponse: Codable, Sendable {
    public var LayerVersions: [LayerVersionsListItem]
    public var NextMarker: String?
}
