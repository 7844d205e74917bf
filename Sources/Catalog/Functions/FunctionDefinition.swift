import Foundation
import BlobStore

/// A function's `$LATEST` state as the catalog keeps it: validated configuration plus code identity.
/// Persisted as a whole, so a reader always sees one consistent revision.
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
    public var layers: [String]
    public var packageType: String
    public var logFormat: String
    public var logGroup: String?
    public var deadLetterTargetArn: String?
    public var kmsKeyArn: String?
    public var code: CodeIdentity
    public var lastModified: Date
    public var revisionId: String

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
