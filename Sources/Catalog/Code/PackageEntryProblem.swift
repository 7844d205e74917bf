/// Why an entry of a deployment package cannot be unpacked safely. Upload refuses a package with any of these
/// (as Lambda refuses an archive it cannot unzip); unpacking skips such entries of a package stored before the check.
/// Paths are the entry's own, never a path of this host.
public enum PackageEntryProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// No name, or one that names the package root as a file or link.
    case emptyName
    /// A name that starts at `/` (or `\`).
    case absolutePath(String)
    /// A `..` component (split at `/` or `\`) anywhere in the name.
    case parentComponent(String)
    /// A NUL byte, a component longer than 255 bytes or a path longer than 4,095.
    case invalidName(String)
    /// A character or block device, FIFO, socket or unknown file type (the stored `st_mode`).
    case specialFile(String, mode: UInt32)
    /// An entry under a path that an earlier entry made a symbolic link.
    case underSymlink(String, link: String)
    /// An entry under a path that an earlier entry made a regular file.
    case underFile(String, file: String)
    /// A directory where an earlier entry put a file or link, or a file or link where one put a directory.
    case replacesDirectory(String)
    /// A symbolic link whose target is empty, holds a NUL byte or is longer than 4,095 bytes.
    case invalidLinkTarget(String)
    /// Encrypted, or compressed with a method other than stored or deflated.
    case unsupportedEntry(String)
    /// The data is not where the directory says, does not inflate, or has the wrong size or CRC.
    case corruptData(String)

    public var description: String {
        switch self {
        case .emptyName: "an entry has an empty name"
        case .absolutePath(let p): "entry '\(p)' has an absolute path"
        case .parentComponent(let p): "entry '\(p)' has a '..' component"
        case .invalidName(let p): "entry '\(p)' has a name that cannot be a file name"
        case .specialFile(let p, let mode): "entry '\(p)' is not a file, directory or symbolic link (mode \(String(mode, radix: 8)))"
        case .underSymlink(let p, let link): "entry '\(p)' is under the symbolic link '\(link)'"
        case .underFile(let p, let file): "entry '\(p)' is under the file '\(file)'"
        case .replacesDirectory(let p): "entry '\(p)' conflicts with a directory of the same name"
        case .invalidLinkTarget(let p): "symbolic link '\(p)' has an invalid target"
        case .unsupportedEntry(let p): "entry '\(p)' is encrypted or uses an unsupported compression method"
        case .corruptData(let p): "entry '\(p)' has corrupt data"
        }
    }
}
