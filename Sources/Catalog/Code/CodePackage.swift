import Foundation

/// A deployment package checked the way Lambda checks it when it is uploaded: a zip that unzips, within the size
/// limits, whose every entry unpacks inside the package root as a file, directory or symbolic link (see
/// `PackageArchive`). So code that was accepted can always be unpacked where it runs.
public struct CodePackage: Sendable {
    /// Largest zip accepted inline (ZipFile), 50 MB.
    public static let maxZippedBytes = 50 * 1024 * 1024
    /// Largest request body Lambda takes for a direct upload (the base64 form of 50 MB plus JSON).
    public static let maxRequestBytes = 69_905_067
    /// Largest unzipped code plus layers, 250 MB.
    public static let maxUnzippedBytes = 262_144_000
    /// Lambda's answer for an archive it cannot unzip, whatever the reason.
    static let unzipFailure = "Could not unzip uploaded file. Please check your file, then try to upload again."

    public let bytes: Data
    public let unzippedSize: Int

    /// Inspects `zip`; throws `InvalidParameterValueException` for anything Lambda would refuse.
    public init(zip: [UInt8], operation: String) throws(LambdaError) {
        if zip.count > Self.maxZippedBytes {
            throw .requestEntityTooLarge("Request must be smaller than \(Self.maxRequestBytes) bytes for the \(operation) operation")
        }
        let data = Data(zip)
        guard let package = PackageArchive(data) else { throw .invalidParameter(Self.unzipFailure) }
        if !package.problems.isEmpty || (package.items.isEmpty && zip.count > 22) {
            throw .invalidParameter(Self.unzipFailure)
        }
        if package.unzippedSize > UInt64(Self.maxUnzippedBytes) {
            throw .invalidParameter("Unzipped size must be smaller than \(Self.maxUnzippedBytes) bytes")
        }
        // Every file inflates to its declared size and CRC, so unpacking cannot fail on the data later.
        do {
            for item in package.items where item.entry.kind == .file {
                try package.contents(of: item) { _ in }
            }
        } catch {
            throw .invalidParameter(Self.unzipFailure)
        }
        self.bytes = data
        self.unzippedSize = Int(package.unzippedSize)
    }
}
