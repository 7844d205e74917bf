/// The tree a package's entries make when unpacked in order, kept to refuse the entries that would make unpacking
/// write through a link or fail half-way: anything under a path an earlier entry made a link or a file, and a
/// directory swapped for a file or link (or back). A later file or link replaces an earlier one, as `unzip` does.
public struct PackageLayout: Sendable {
    /// Every path made so far (as bytes: file names are bytes, not Unicode-equivalent strings) and what it is.
    private var kinds: [[UInt8]: PackageEntry.Kind] = [:]

    public init() {}

    /// Adds `entry`, or throws why it cannot be unpacked after the entries admitted so far (and leaves them as they were).
    public mutating func admit(_ entry: PackageEntry) throws(PackageEntryProblem) {
        var prefix: [UInt8] = []
        var madeDirectories: [[UInt8]] = []
        for component in entry.components.dropLast() {
            if !prefix.isEmpty { prefix.append(UInt8(ascii: "/")) }
            prefix.append(contentsOf: component.utf8)
            switch kinds[prefix] {
            case .symlink?: throw .underSymlink(entry.name, link: String(decoding: prefix, as: UTF8.self))
            case .file?: throw .underFile(entry.name, file: String(decoding: prefix, as: UTF8.self))
            case .directory?: continue
            case nil: madeDirectories.append(prefix)
            }
        }
        guard !entry.components.isEmpty else { return }
        let path = Array(entry.path.utf8)
        if let existing = kinds[path], (existing == .directory) != (entry.kind == .directory) {
            throw .replacesDirectory(entry.name)
        }
        for directory in madeDirectories { kinds[directory] = .directory }
        kinds[path] = entry.kind
    }
}
