/// One entry of a deployment package as it will be unpacked: where it goes below the package root, what it is and
/// the permissions it gets. Made only from a name that stays inside the root and a type that is a file, a directory
/// or a symbolic link.
public struct PackageEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case directory, file, symlink
    }

    /// The name as stored (for messages and logs).
    public let name: String
    /// The path below the root with empty and `.` components dropped; empty for the root itself.
    public let components: [String]
    public let kind: Kind
    /// Directories 0755; files their stored bits without setuid, setgid, sticky or group/other write, readable by
    /// all, and executable by all when their owner may execute them (code runs as an unprivileged user). Never above
    /// 0755. Unused for links.
    public let permissions: UInt32

    /// The path below the root, `/`-separated.
    public var path: String { components.joined(separator: "/") }

    static let maxComponentBytes = 255
    static let maxPathBytes = 4095

    static let typeMask: UInt32 = 0o170000
    static let regularType: UInt32 = 0o100000
    static let directoryType: UInt32 = 0o040000
    static let symlinkType: UInt32 = 0o120000

    /// Checks `name` (as ZIPFoundation decodes it) and the type `record` stores.
    public init(name: String, record: ZipCentralDirectory.Record) throws(PackageEntryProblem) {
        self.name = name
        let slash = name.hasSuffix("/") || (record.hostSystem == 0 && record.externalAttributes >> 4 == 1)
        // The same reading of the type as ZIPFoundation's `Entry.type`, except that other Unix types are refused.
        let kind: Kind
        switch (record.unixMode ?? 0) & Self.typeMask {
        case Self.regularType: kind = .file
        case Self.directoryType: kind = .directory
        case Self.symlinkType: kind = .symlink
        case 0: kind = slash ? .directory : .file
        default: throw .specialFile(name, mode: record.unixMode ?? 0)
        }
        self.kind = kind
        self.components = try Self.components(of: name, kind: kind)
        let stored = (record.unixMode ?? 0) & 0o7777
        switch kind {
        case .directory: permissions = 0o755
        case .symlink: permissions = 0o777
        case .file:
            let bits = stored == 0 ? 0o644 : stored & 0o755
            permissions = bits | (bits & 0o100 != 0 ? 0o555 : 0o444)
        }
    }

    /// The path's components, or why the name cannot be unpacked inside the root.
    static func components(of name: String, kind: Kind) throws(PackageEntryProblem) -> [String] {
        guard !name.isEmpty else { throw .emptyName }
        if name.utf8.contains(0) { throw .invalidName(name) }
        if name.hasPrefix("/") || name.hasPrefix("\\") { throw .absolutePath(name) }
        // Some tools write `\` as a separator: `..\evil` escapes as surely as `../evil` once it is read that way.
        if name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..") { throw .parentComponent(name) }
        let components = name.split(separator: "/").map(String.init).filter { $0 != "." }
        if components.contains(where: { $0.utf8.count > maxComponentBytes })
            || components.reduce(0, { $0 + $1.utf8.count + 1 }) > maxPathBytes {
            throw .invalidName(name)
        }
        // `./` may stand for the root directory; a file or link cannot.
        if components.isEmpty && kind != .directory { throw .emptyName }
        return components
    }
}
