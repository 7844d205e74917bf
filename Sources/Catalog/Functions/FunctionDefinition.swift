import Foundation
import BlobStore

/// A function's `$LATEST` state, or one published version of it, as the catalog keeps it: validated
/// configuration plus code identity. Persisted as a whole, so a reader always sees one consistent revision.
public struct FunctionDefinition: Codable, Sendable, Equatable {
    public var name: String
    public var runtime: String?
    public var role: String
    public var handler: String?
    public var description: String
    public var timeout: Int
    public var memorySize: Int
    public var ephemeralStorageSize: Int
    public var environment: [String: String]?
    public var tracingMode: String
    public var architectures: [String]
    public var layers: [FunctionLayer]
    public var packageType: String
    /// `LoggingConfig.LogFormat`: `Text` or `JSON`.
    public var logFormat: String
    /// A custom log group; nil for `/aws/lambda/<name>`.
    public var logGroup: String?
    /// `LoggingConfig.ApplicationLogLevel`: the least severe level the runtime writes; set (INFO unless given) only
    /// when `logFormat` is JSON, nil for Text. Absent from definitions stored before it existed, which are Text.
    public var applicationLogLevel: String? = nil
    /// `LoggingConfig.SystemLogLevel`: the least severe platform record written; as `applicationLogLevel`.
    public var systemLogLevel: String? = nil
    public var deadLetterTargetArn: String?
    public var kmsKeyArn: String?
    /// `SnapStart.ApplyOn` when it is `PublishedVersions` (nil: `None`): each published version's environments are
    /// copies of one initialised template.
    public var snapStart: String? = nil
    public var code: CodeIdentity
    public var lastModified: Date
    public var revisionId: String
    /// The published version number; nil for `$LATEST`.
    public var publishedVersion: Int?
    /// For a published version, the `$LATEST` revision it was published from.
    public var sourceRevisionId: String?

    /// `$LATEST` or the version number, as Lambda names it.
    public var version: String { publishedVersion.map(String.init) ?? "$LATEST" }

    /// Code plus layers, unzipped: what the 250 MB limit applies to.
    public var unzippedSizeWithLayers: Int {
        code.unzippedSize + layers.reduce(0) { $0 + $1.unzippedSize }
    }

    /// The archive a function runs.
    public struct CodeIdentity: Codable, Sendable, Equatable {
        public var digest: BlobDigest
        /// Size of the zip in bytes.
        public var size: Int
        /// Sum of the uncompressed sizes of its entries.
        public var unzippedSize: Int

        public init(digest: BlobDigest, size: Int, unzippedSize: Int) {
            self.digest = digest
            self.size = size
            self.unzippedSize = unzippedSize
        }

        /// `CodeSha256` as Lambda reports it.
        public var sha256Base64: String { digest.base64 }
    }
}

/// A layer version a function uses, with the identity of its content so environments can mount it
/// without asking the catalog again.
public struct FunctionLayer: Codable, Sendable, Equatable {
    public var arn: String
    public var digest: BlobDigest
    public var size: Int
    public var unzippedSize: Int

    public init(arn: String, digest: BlobDigest, size: Int, unzippedSize: Int) {
        self.arn = arn
        self.digest = digest
        self.size = size
        self.unzippedSize = unzippedSize
    }
}
