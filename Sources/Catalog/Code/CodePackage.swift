import Foundation
import ZIPFoundation

/// A deployment package checked the way Lambda checks it: a readable zip within the size limits.
public struct CodePackage: Sendable {
    /// Largest zip accepted inline (ZipFile), 50 MB.
    public static let maxZippedBytes = 50 * 1024 * 1024
    /// Largest request body Lambda takes for a direct upload (the base64 form of 50 MB plus JSON).
    public static let maxRequestBytes = 69_905_067
    /// Largest unzipped code plus layers, 250 MB.
    public static let maxUnzippedBytes = 262_144_000

    public let bytes: Data
    public let unzippedSize: Int

    /// Inspects `zip`; throws `InvalidParameterValueException` for anything Lambda would refuse.
    public init(zip: [UInt8], operation: String) throws(LambdaError) {
        if zip.count > Self.maxZippedBytes {
            throw .requestEntityTooLarge("Request must be smaller than \(Self.maxRequestBytes) bytes for the \(operation) operation")
        }
        let data = Data(zip)
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw .invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.")
        }
        var total: UInt64 = 0
        var entries = 0
        for entry in archive {
            total += entry.uncompressedSize
            entries += 1
        }
        if entries == 0 && zip.count > 22 {
            throw .invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.")
        }
        if total > UInt64(Self.maxUnzippedBytes) {
            throw .invalidParameter("Unzipped size must be smaller than \(Self.maxUnzippedBytes) bytes")
        }
        self.bytes = data
        self.unzippedSize = Int(total)
    }
}
