import BlobStore
import Catalog
import Foundation
@testable import Invoker
import Testing
import ZIPFoundation

/// Unpacking and layer merging never follow a link: what a package holds lands inside its directory, links are kept
/// as stored, and a package stored before uploads were checked runs without its hostile entries.
@Suite struct CodeExtractionTests {
    enum Item {
        case file(String, String, permissions: UInt16 = 0o644)
        case directory(String)
        case link(String, to: String)
    }

    /// A zip of `items` in order (ZIPFoundation writes links and any name, `../` included).
    static func zip(_ items: [Item]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for item in items {
            let (name, type, data, permissions): (String, Entry.EntryType, Data, UInt16?) = switch item {
            case .file(let name, let content, let permissions): (name, .file, Data(content.utf8), permissions)
            case .directory(let name): (name, .directory, Data(), nil)
            case .link(let name, let target): (name, .symlink, Data(target.utf8), nil)
            }
            try archive.addEntry(with: name, type: type, uncompressedSize: Int64(data.count), permissions: permissions,
                                 compressionMethod: type == .file ? .deflate : .none) { (position: Int64, size: Int) in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "swiftlet-extract-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    static func permissions(_ path: String) -> mode_t {
        var info = stat()
        _ = lstat(path, &info)
        return info.st_mode & 0o7777
    }

    static func unpack(_ items: [Item]) throws -> String {
        let package = try #require(PackageArchive(try zip(items)))
        let dir = try tempDir() + "/code"
        try CodeExtraction.unpack(package, into: dir)
        return dir
    }

    @Test func filesDirectoriesAndModeBits() throws {
        let dir = try Self.unpack([
            .file("app.py", "print(1)\n", permissions: 0o600), .file("bin/tool", "#!/bin/sh\n", permissions: 0o4777),
            .directory("empty/"), .file("deep/er/still/x.txt", "x", permissions: 0o666), .file("shared", "g", permissions: 0o2755),
        ])
        #expect(try String(contentsOfFile: dir + "/app.py", encoding: .utf8) == "print(1)\n")
        #expect(Self.permissions(dir) == 0o755)
        #expect(Self.permissions(dir + "/app.py") == 0o644, "readable by the runtime's user")
        #expect(Self.permissions(dir + "/bin/tool") == 0o755, "no setuid, no group/other write")
        #expect(Self.permissions(dir + "/shared") == 0o755, "no setgid")
        #expect(Self.permissions(dir + "/deep/er/still/x.txt") == 0o644)
        for directory in ["bin", "empty", "deep", "deep/er", "deep/er/still"] {
            #expect(Self.kind(dir + "/" + directory) == S_IFDIR && Self.permissions(dir + "/" + directory) == 0o755, "\(directory)")
        }
    }

    @Test func relativeAndAbsoluteLinksAreKeptExactlyAsStored() throws {
        let dir = try Self.unpack([
            .file("real.py", "VALUE = 1\n"), .link("link.py", to: "real.py"), .link("etc_passwd", to: "/etc/passwd"),
            .file("lib/libfoo.so.1", "ELF"), .link("lib/libfoo.so", to: "libfoo.so.1"), .link("python", to: "/opt/python"),
            .link("dangling", to: "../../../nowhere"),
        ])
        let expected = ["link.py": "real.py", "etc_passwd": "/etc/passwd", "lib/libfoo.so": "libfoo.so.1",
                        "python": "/opt/python", "dangling": "../../../nowhere"]
        for (name, target) in expected {
            #expect(Self.kind(dir + "/" + name) == S_IFLNK, "\(name)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + name) == target)
        }
        #expect(try String(contentsOfFile: dir + "/link.py", encoding: .utf8) == "VALUE = 1\n")
    }

    @Test func laterEntriesReplaceEarlierOnesWithoutFollowingThem() throws {
        let outside = try Self.tempDir()
        let dir = try Self.unpack([
            .link("config", to: outside + "/victim"), .file("config", "mine\n"),
            .file("a.py", "1"), .link("a.py", to: outside + "/other"),
        ])
        #expect(Self.kind(dir + "/config") == S_IFREG)
        #expect(try String(contentsOfFile: dir + "/config", encoding: .utf8) == "mine\n")
        #expect(Self.kind(dir + "/a.py") == S_IFLNK)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "nothing written through the link")
    }

    @Test func aPackageStoredBeforeTheCheckRunsWithoutItsHostileEntries() throws {
        let outside = try Self.tempDir()
        let base = try Self.tempDir()
        let package = try #require(PackageArchive(try Self.zip([
            .file("app.py", "ok\n"), .file("../escaped", "evil"), .file("a/../../escaped2", "evil"),
            .file("/abs-escaped", "evil"), .link("out", to: outside), .file("out/planted", "evil"),
            .link("out2", to: "/"), .file("out2/tmp/planted", "evil"), .file("lib/x.so", "ok"),
        ])))
        #expect(package.problems.count == 5)
        try CodeExtraction.unpack(package, into: base + "/code")
        #expect(try FileManager.default.contentsOfDirectory(atPath: base).sorted() == ["code"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: base + "/code").sorted() == ["app.py", "lib", "out", "out2"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/planted"))
    }

    @Test func directoryHandlesRefuseToTraverseOrWriteThroughLinks() throws {
        let dir = try Self.tempDir()
        let outside = try Self.tempDir()
        #expect(symlink(outside, dir + "/a") == 0)
        let root = try DirectoryHandle.open(dir)
        #expect(throws: SystemCallFailure.self) { _ = try root.walk(["a", "b"], create: true) }
        #expect(throws: SystemCallFailure.self) { _ = try root.child("a") }
        #expect(throws: SystemCallFailure.self) { try root.makeDirectory("a") }
        #expect(throws: (any Error).self) { try root.writeFile("a", permissions: 0o644) { write in try write(Data("x".utf8)) } }
        try root.remove("a")
        #expect(Self.kind(dir + "/a") == nil)
        #expect(Self.kind(outside) == S_IFDIR, "removing a link leaves its target")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
    }

    @Test func removingATreeNeverFollowsItsLinks() throws {
        let outside = try Self.tempDir()
        FileManager.default.createFile(atPath: outside + "/keep", contents: Data("keep".utf8))
        let cacheRoot = try Self.tempDir()
        let blobs = try BlobStore(root: cacheRoot + "/blobs")
        let cache = try CodeCache(root: cacheRoot + "/code", blobs: blobs)
        let digest = try blobs.put(try Self.zip([.link("out", to: outside), .file("d/e/f", "x"), .link("d/up", to: outside)]))
        let dir = try cache.directory(for: digest)
        #expect(Self.kind(dir + "/out") == S_IFLNK)
        cache.collectGarbage(keeping: [])
        #expect(Self.kind(dir) == nil)
        #expect(try String(contentsOfFile: outside + "/keep", encoding: .utf8) == "keep")
    }

    @Test func unpackingFailuresSayNothingOfTheHost() throws {
        let root = try Self.tempDir()
        let blobs = try BlobStore(root: root + "/blobs")
        let cache = try CodeCache(root: root + "/code", blobs: blobs)
        let notAZip = try blobs.put(Data("this is not a zip".utf8))
        let missing = BlobDigest(of: Data("never stored".utf8))
        for digest in [notAZip, missing] {
            do {
                _ = try cache.directory(for: digest)
                Issue.record("unpacking must fail")
            } catch {
                let message = "\(error)"
                #expect(message == "the deployment package could not be unpacked")
                #expect(!message.contains("NSCocoaErrorDomain") && !message.contains(root))
                #expect(!error.detail.isEmpty)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/code").isEmpty, "no staging directory left")
    }

    @Test func layersMergeInOrderAndNeverWriteThroughAnEarlierLayersLink() throws {
        let outside = try Self.tempDir()
        let root = try Self.tempDir()
        let blobs = try BlobStore(root: root + "/blobs")
        let code = try CodeCache(root: root + "/code", blobs: blobs)
        let layers = try LayerCache(root: root + "/layersets", code: code)
        func layer(_ items: [Item]) throws -> FunctionLayer {
            let data = try Self.zip(items)
            return FunctionLayer(arn: "arn:aws:lambda:us-east-1:000000000000:layer:l:1", digest: try blobs.put(data),
                                 size: data.count, unzippedSize: 0)
        }
        let first = try layer([
            .link("python", to: outside), .link("bin", to: "/usr/bin"), .file("lib/libfoo.so.1", "one"),
            .link("lib/libfoo.so", to: "libfoo.so.1"), .file("shared.txt", "first"), .file("etc/conf", "first"),
        ])
        let second = try layer([
            .file("python/evil.py", "evil"), .file("bin/evil", "evil"), .file("shared.txt", "second"),
            .link("etc", to: "/etc"),
        ])
        let merged = try #require(try layers.directory(for: [first, second]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty, "nothing written through `python`")
        #expect(!FileManager.default.fileExists(atPath: "/usr/bin/evil"))
        #expect(Self.kind(merged + "/python") == S_IFDIR, "a later directory replaces an earlier link")
        #expect(try String(contentsOfFile: merged + "/python/evil.py", encoding: .utf8) == "evil")
        #expect(Self.kind(merged + "/lib/libfoo.so") == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: merged + "/lib/libfoo.so") == "libfoo.so.1")
        #expect(try String(contentsOfFile: merged + "/shared.txt", encoding: .utf8) == "second", "the later layer wins")
        #expect(Self.kind(merged + "/etc") == S_IFLNK, "a later link replaces an earlier directory")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: merged + "/etc") == "/etc")
        #expect(Self.permissions(merged) == 0o755)

        // The other order: the link comes last and replaces the directory.
        let reversed = try #require(try layers.directory(for: [second, first]))
        #expect(Self.kind(reversed + "/python") == S_IFLNK)
        #expect(try String(contentsOfFile: reversed + "/shared.txt", encoding: .utf8) == "first")
        #expect(Self.kind(reversed + "/etc") == S_IFDIR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
    }
}
