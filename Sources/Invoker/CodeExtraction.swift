import Catalog
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a checked deployment package into a new directory the way Lambda unpacks it: directories 0755, files with
/// their (capped) mode bits, symbolic links exactly as stored, later files replacing earlier ones. Every write is
/// relative to an open directory reached without following a link (`DirectoryHandle`), so neither a link in the
/// package nor one planted by anything else can send a write outside the directory. A link's target is only ever
/// resolved by the function, inside its sandbox.
enum CodeExtraction {
    /// Unpacks `package`'s unproblematic entries into `directory`, which must not exist yet.
    static func unpack(_ package: PackageArchive, into directory: String) throws(CodePreparationError) {
        let root: DirectoryHandle
        do {
            root = try DirectoryHandle.make(directory)
        } catch {
            throw .package("creating the directory: \(error)")
        }
        // Entries come grouped by directory: keep the last one open.
        var current: (components: ArraySlice<String>, handle: DirectoryHandle) = ([], root)
        for item in package.items {
            let entry = item.entry
            guard let name = entry.components.last else { continue }
            let parentPath = entry.components.dropLast()
            do {
                if current.components != parentPath {
                    current = (parentPath, try root.walk(Array(parentPath), create: true))
                }
                let parent = current.handle
                switch entry.kind {
                case .directory:
                    try parent.makeDirectory(name)
                case .file:
                    try parent.removeUnlessDirectory(name)
                    try parent.writeFile(name, permissions: mode_t(entry.permissions)) { write in
                        try package.contents(of: item) { try write($0) }
                    }
                case .symlink:
                    let target = try package.linkTarget(of: item)
                    try parent.removeUnlessDirectory(name)
                    try parent.makeSymlink(name, target: target)
                }
            } catch let problem as PackageEntryProblem {
                throw .package(problem.description)
            } catch {
                throw .package("entry '\(entry.name)': \(error)")
            }
        }
    }
}

/// A failed system call, named with the file name it was about (relative to a directory being filled).
struct SystemCallFailure: Error, CustomStringConvertible {
    let call: String
    let name: String
    let code: Int32

    init(_ call: String, _ name: String, code: Int32 = errno) {
        self.call = call
        self.name = name
        self.code = code
    }

    var description: String { "\(call) '\(name)': \(String(cString: strerror(code))) (errno \(code))" }
}

/// An open directory that names are created, read and removed in relative to it (`mkdirat`, `openat`,
/// `symlinkat`, `unlinkat`), never following a symbolic link: a subdirectory is opened with
/// `O_DIRECTORY | O_NOFOLLOW`, so a link where a directory is expected fails (`ELOOP`) instead of leading elsewhere.
final class DirectoryHandle {
    /// Used only inside this type's methods, where the handle is alive: outside, ARC may close it before a call
    /// that was given the number.
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }

    /// Creates `path` (a path of this server's own, not of a package) as a 0755 directory and opens it.
    static func make(_ path: String) throws(SystemCallFailure) -> DirectoryHandle {
        guard mkdir(path, 0o755) == 0 else { throw SystemCallFailure("mkdir", path) }
        let handle = try open(path)
        try handle.setPermissions(0o755)
        return handle
    }

    /// Opens `path` (a path of this server's own, not of a package).
    static func open(_ path: String) throws(SystemCallFailure) -> DirectoryHandle {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallFailure("open", path) }
        return DirectoryHandle(fd: fd)
    }

    /// The directory `components` below this one, each made (0755) first when missing and `create` is set.
    /// Holds at most two descriptors at a time, however deep.
    func walk(_ components: [String], create: Bool) throws(SystemCallFailure) -> DirectoryHandle {
        var handle = self
        for name in components {
            if create { try handle.makeDirectory(name) }
            handle = try handle.child(name)
        }
        return handle
    }

    /// The subdirectory `name`; fails on a link or anything else that is not a directory.
    func child(_ name: String) throws(SystemCallFailure) -> DirectoryHandle {
        let fd = openat(self.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallFailure("openat", name) }
        return DirectoryHandle(fd: fd)
    }

    func setPermissions(_ permissions: mode_t) throws(SystemCallFailure) {
        guard fchmod(fd, permissions) == 0 else { throw SystemCallFailure("fchmod", ".") }
    }

    /// The type bits (`S_IFMT`) of `name` itself, nil when there is nothing of that name.
    func type(of name: String) throws(SystemCallFailure) -> mode_t? {
        var info = stat()
        if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { return info.st_mode & S_IFMT }
        if errno == ENOENT { return nil }
        throw SystemCallFailure("fstatat", name)
    }

    /// Makes the directory `name` (0755) unless there is one; fails where something else has the name.
    func makeDirectory(_ name: String) throws(SystemCallFailure) {
        if mkdirat(fd, name, 0o755) == 0 {
            // Exactly 0755 whatever the umask, set on the directory opened (not through its name).
            try child(name).setPermissions(0o755)
            return
        }
        let code = errno
        guard code == EEXIST, try type(of: name) == S_IFDIR else { throw SystemCallFailure("mkdirat", name, code: code) }
    }

    /// Removes the file or link `name` if there is one; a directory of that name is an error.
    func removeUnlessDirectory(_ name: String) throws(SystemCallFailure) {
        if unlinkat(fd, name, 0) == 0 || errno == ENOENT { return }
        throw SystemCallFailure("unlinkat", name)
    }

    /// Removes `name` whatever it is; a directory with everything in it, without following links.
    func remove(_ name: String) throws(SystemCallFailure) {
        if unlinkat(fd, name, 0) == 0 || errno == ENOENT { return }
        guard errno == EISDIR else { throw SystemCallFailure("unlinkat", name) }
        // Emptied from the deepest directory up, reopening the way down each time, so descriptors stay few.
        var path = [name]
        while let last = path.last {
            if let deeper = try walk(path, create: false).removeAllButDirectories() {
                path.append(deeper)
                continue
            }
            path.removeLast()
            try walk(path, create: false).removeEmptyDirectory(last)
        }
    }

    /// Removes the files and links here and answers the first subdirectory, if there is one.
    private func removeAllButDirectories() throws(SystemCallFailure) -> String? {
        for entry in try entries() {
            if unlinkat(fd, entry, 0) == 0 || errno == ENOENT { continue }
            guard errno == EISDIR else { throw SystemCallFailure("unlinkat", entry) }
            return entry
        }
        return nil
    }

    private func removeEmptyDirectory(_ name: String) throws(SystemCallFailure) {
        guard unlinkat(fd, name, AT_REMOVEDIR) == 0 else { throw SystemCallFailure("rmdir", name) }
    }

    /// The names in this directory, `.` and `..` left out.
    func entries() throws(SystemCallFailure) -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw SystemCallFailure("fdopendir", ".")
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates the regular file `name` (never through a link: `O_CREAT | O_EXCL` fails on any existing name), lets
    /// `fill` write it, and gives it `permissions`.
    func writeFile(_ name: String, permissions: mode_t, _ fill: ((Data) throws -> Void) throws -> Void) throws {
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw SystemCallFailure("openat", name) }
        var closed = false
        defer { if !closed { close(file) } }
        try fill { chunk throws(SystemCallFailure) in try Self.write(chunk, to: file, name: name) }
        guard fchmod(file, permissions) == 0 else { throw SystemCallFailure("fchmod", name) }
        closed = true
        guard close(file) == 0 else { throw SystemCallFailure("close", name) }
    }

    /// Creates the symbolic link `name` holding `target` as it is, resolved by whoever reads it, never here.
    func makeSymlink(_ name: String, target: [UInt8]) throws(SystemCallFailure) {
        let made = (target + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { symlinkat($0.baseAddress!, fd, name) }
        }
        guard made == 0 else { throw SystemCallFailure("symlinkat", name) }
    }

    /// The target `name` (a link) holds.
    func linkTarget(_ name: String) throws(SystemCallFailure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { readlinkat(fd, name, $0.baseAddress!, $0.count) }
        }
        guard count >= 0 else { throw SystemCallFailure("readlinkat", name) }
        return Array(buffer[0..<count])
    }

    /// Adds `name` of `source` (a file or a link) here under the same name: a hard link, else a copy. Neither
    /// follows a link (`linkat` without `AT_SYMLINK_FOLLOW` links the link itself).
    func addLink(to name: String, in source: DirectoryHandle) throws(SystemCallFailure) {
        if linkat(source.fd, name, fd, name, 0) == 0 { return }
        let code = errno
        guard code == EXDEV || code == EMLINK || code == EPERM else { throw SystemCallFailure("linkat", name, code: code) }
        if try source.type(of: name) == S_IFLNK {
            try makeSymlink(name, target: try source.linkTarget(name))
            return
        }
        let input = openat(source.fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard input >= 0 else { throw SystemCallFailure("openat", name) }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw SystemCallFailure("fstat", name) }
        do {
            try writeFile(name, permissions: info.st_mode & 0o755) { write in
                var buffer = Data(count: 64 * 1024)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count >= 0 else { throw SystemCallFailure("read", name) }
                    if count == 0 { break }
                    try write(buffer.prefix(count))
                }
            }
        } catch let failure as SystemCallFailure {
            throw failure
        } catch {
            throw SystemCallFailure("copy", name, code: EIO)
        }
    }

    private static func write(_ chunk: Data, to file: Int32, name: String) throws(SystemCallFailure) {
        var failure: SystemCallFailure?
        chunk.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(file, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = SystemCallFailure("write", name)
                    return
                }
                offset += written
            }
        }
        if let failure { throw failure }
    }
}
