@testable import Catalog
import Foundation
import Testing
import ZIPFoundation

/// Zips built entry by entry, and the byte patches that make what ZIPFoundation will not write (device entries,
/// lying sizes, encryption flags).
enum HostileZip {
    enum Item {
        case file(String, String, permissions: UInt16 = 0o644, deflate: Bool = true)
        case directory(String)
        case link(String, to: String)
    }

    static func make(_ items: [Item]) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        for item in items {
            switch item {
            case .file(let name, let content, let permissions, let deflate):
                let data = Data(content.utf8)
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), permissions: permissions,
                                     compressionMethod: deflate ? .deflate : .none) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            case .directory(let name):
                try archive.addEntry(with: name, type: .directory, uncompressedSize: Int64(0)) { (_: Int64, _: Int) in Data() }
            case .link(let name, let target):
                let data = Data(target.utf8)
                try archive.addEntry(with: name, type: .symlink, uncompressedSize: Int64(data.count)) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        }
        return Array(archive.data!)
    }

    /// The offset of the `index`th central-directory record.
    static func record(_ index: Int, in zip: [UInt8]) -> Int {
        var found = -1
        for at in 0..<(zip.count - 4) where zip[at] == 0x50 && zip[at + 1] == 0x4b && zip[at + 2] == 0x01 && zip[at + 3] == 0x02 {
            found += 1
            if found == index { return at }
        }
        fatalError("no record \(index)")
    }

    static func patch(_ zip: [UInt8], record index: Int, at field: Int, _ value: UInt32, bytes: Int = 4) -> [UInt8] {
        var zip = zip
        let at = record(index, in: zip) + field
        for byte in 0..<bytes { zip[at + byte] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(byte))) }
        return zip
    }

    /// Sets the stored `st_mode` of entry `index`.
    static func withMode(_ zip: [UInt8], entry index: Int, _ mode: UInt32) -> [UInt8] {
        patch(zip, record: index, at: 38, mode << 16)
    }
}

@Suite struct HostilePackageTests {
    static let unzipFailure = "Could not unzip uploaded file. Please check your file, then try to upload again."

    func refusal(_ zip: [UInt8]) -> String? {
        do {
            _ = try CodePackage(zip: zip, operation: "CreateFunction")
            return nil
        } catch {
            guard case .invalidParameter(let message) = error else { return "\(error)" }
            return message
        }
    }

    @Test(arguments: ["../evil", "a/../../evil", "a/..", "/abs", "/etc/cron.d/x", "..\\evil", "a\\..\\..\\evil", "\\abs"])
    func zipSlipIsRefusedAtUpload(_ name: String) throws {
        let zip = try HostileZip.make([.file("app.py", "x = 1\n"), .file(name, "evil\n")])
        #expect(refusal(zip) == Self.unzipFailure, "\(name)")
        let archive = try #require(PackageArchive(Data(zip)))
        let absolute = name.hasPrefix("/") || name.hasPrefix("\\")
        #expect(archive.problems == [absolute ? .absolutePath(name) : .parentComponent(name)])
        #expect(archive.items.map(\.entry.path) == ["app.py"])
    }

    @Test func entryNamesAreCheckedComponentByComponent() throws {
        #expect(throws: PackageEntryProblem.emptyName) { try PackageEntry.components(of: "", kind: .file) }
        #expect(throws: PackageEntryProblem.emptyName) { try PackageEntry.components(of: "./", kind: .file) }
        #expect(throws: PackageEntryProblem.emptyName) { try PackageEntry.components(of: ".", kind: .symlink) }
        #expect(try PackageEntry.components(of: "./", kind: .directory) == [], "`./` is the root directory")
        #expect(try PackageEntry.components(of: "./a//b/./c.py", kind: .file) == ["a", "b", "c.py"])
        #expect(try PackageEntry.components(of: "a..b/..c/d..", kind: .file) == ["a..b", "..c", "d.."])
        #expect(try PackageEntry.components(of: "weird\\name.txt", kind: .file) == ["weird\\name.txt"])
        #expect(throws: PackageEntryProblem.invalidName("a\u{0}b")) { try PackageEntry.components(of: "a\u{0}b", kind: .file) }
        let long = String(repeating: "x", count: 256)
        #expect(throws: PackageEntryProblem.invalidName(long)) { try PackageEntry.components(of: long, kind: .file) }
        let deep = Array(repeating: "abcdefg", count: 600).joined(separator: "/")
        #expect(throws: PackageEntryProblem.invalidName(deep)) { try PackageEntry.components(of: deep, kind: .file) }
    }

    @Test func anEmptyEntryNameIsRefused() throws {
        let zip = try HostileZip.make([.file("app.py", "x = 1\n"), .file("", "nameless\n")])
        #expect(refusal(zip) == Self.unzipFailure)
    }

    @Test(arguments: [UInt32(0o020644), 0o060644, 0o010644, 0o140644, 0o160644])
    func devicesFifosAndSocketsAreRefused(_ mode: UInt32) throws {
        let zip = try HostileZip.make([.file("app.py", "x = 1\n"), .file("dev/thing", "")])
        #expect(refusal(zip) == nil, "the unpatched zip is fine")
        #expect(refusal(HostileZip.withMode(zip, entry: 1, mode)) == Self.unzipFailure, "mode \(String(mode, radix: 8))")
        let archive = try #require(PackageArchive(Data(HostileZip.withMode(zip, entry: 1, mode))))
        #expect(archive.problems == [.specialFile("dev/thing", mode: mode)])
    }

    @Test func zipFoundationsOwnApiCanWriteABlockDeviceAndItIsRefused() throws {
        // A directory's type bits or'ed with 0o020000 make S_IFBLK.
        let archive = try Archive(accessMode: .create)
        try archive.addEntry(with: "sda", type: .directory, uncompressedSize: Int64(0), permissions: 0o020000) { (_: Int64, _: Int) in Data() }
        #expect(refusal(Array(archive.data!)) == Self.unzipFailure)
    }

    @Test func anEntryThroughAnEarlierLinkOrFileIsRefused() throws {
        let cases: [[HostileZip.Item]] = [
            [.link("a", to: "/etc"), .file("a/passwd", "root::0:0::/:/bin/sh\n")],
            [.link("a", to: "../../.."), .file("a/b/c", "x")],
            [.link("a", to: "b"), .directory("a/")],
            [.file("a", "x"), .file("a/b", "y")],
            [.file("a/b", "y"), .link("a", to: "/tmp")],
            [.directory("a/"), .file("a", "x")],
        ]
        for items in cases {
            #expect(refusal(try HostileZip.make(items)) == Self.unzipFailure, "\(items)")
        }
    }

    @Test func linksAreKeptAndCountedByTheirTargets() throws {
        let zip = try HostileZip.make([
            .file("real.py", "VALUE = 1\n"), .link("link.py", to: "real.py"), .link("etc_passwd", to: "/etc/passwd"),
            .directory("lib/"), .file("lib/libfoo.so.1", "ELF"), .link("lib/libfoo.so", to: "libfoo.so.1"),
            .link("python", to: "/opt/python"), .link("up", to: "../../../../etc"),
        ])
        let package = try CodePackage(zip: zip, operation: "CreateFunction")
        #expect(package.unzippedSize == 10 + 7 + 11 + 3 + 11 + 11 + 15)
        let archive = try #require(PackageArchive(Data(zip)))
        #expect(archive.problems.isEmpty)
        let links = try archive.items.filter { $0.entry.kind == .symlink }.map { String(decoding: try archive.linkTarget(of: $0), as: UTF8.self) }
        #expect(links == ["real.py", "/etc/passwd", "libfoo.so.1", "/opt/python", "../../../../etc"])
    }

    @Test func aLaterFileReplacesAnEarlierOne() throws {
        let zip = try HostileZip.make([.file("a.py", "1"), .link("b.py", to: "a.py"), .file("a.py", "2"), .file("b.py", "3")])
        #expect(refusal(zip) == nil)
    }

    @Test func modeBitsAreCappedAndReadable() throws {
        let cases: [(UInt16, UInt32)] = [
            (0o644, 0o644), (0o600, 0o644), (0o755, 0o755), (0o700, 0o755), (0o777, 0o755), (0o666, 0o644),
            (0o4755, 0o755), (0o2755, 0o755), (0o1777, 0o755), (0o000, 0o644), (0o111, 0o555),
        ]
        for (stored, expected) in cases {
            let zip = try HostileZip.make([.file("f", "x", permissions: stored), .directory("d/")])
            let archive = try #require(PackageArchive(Data(zip)))
            #expect(archive.items.map(\.entry.permissions) == [expected, 0o755], "stored \(String(stored, radix: 8))")
        }
    }

    @Test func aZipBombThatUnderstatesItsSizeIsRefused() throws {
        let content = String(repeating: "A", count: 100_000)
        let zip = try HostileZip.make([.file("bomb", content)])
        #expect(refusal(zip) == nil)
        // The central directory claims 1,000 bytes; inflating stops there instead of writing 100,000.
        #expect(refusal(HostileZip.patch(zip, record: 0, at: 24, 1000)) == Self.unzipFailure)
    }

    @Test func corruptOrTruncatedDataIsRefusedWithoutHanging() throws {
        let content = (0..<20_000).map { String($0 % 97) }.joined()
        let zip = try HostileZip.make([.file("data.txt", content)])
        // A compressed size that stops half-way: the stream is cut short.
        let compressed = HostileZip.record(0, in: zip) + 20
        let size = UInt32(zip[compressed]) | UInt32(zip[compressed + 1]) << 8 | UInt32(zip[compressed + 2]) << 16
        #expect(refusal(HostileZip.patch(zip, record: 0, at: 20, size / 2)) == Self.unzipFailure)
        // A wrong CRC.
        #expect(refusal(HostileZip.patch(zip, record: 0, at: 16, 0xDEAD_BEEF)) == Self.unzipFailure)
        // A stored entry whose bytes were changed.
        var stored = try HostileZip.make([.file("plain.txt", "hello world", deflate: false)])
        let data = try #require(stored.indices.first { stored[$0] == UInt8(ascii: "h") && stored[$0 + 1] == UInt8(ascii: "e") })
        stored[data] = UInt8(ascii: "j")
        #expect(refusal(stored) == Self.unzipFailure)
    }

    @Test func encryptedEntriesAndUnknownMethodsAreRefused() throws {
        let zip = try HostileZip.make([.file("secret", "x")])
        #expect(refusal(HostileZip.patch(zip, record: 0, at: 8, 1, bytes: 1)) == Self.unzipFailure)
        #expect(refusal(HostileZip.patch(zip, record: 0, at: 10, 14, bytes: 2)) == Self.unzipFailure, "LZMA")
    }

    @Test func notAZipIsRefused() {
        #expect(refusal(Array("not a zip".utf8)) == Self.unzipFailure)
        #expect(refusal(Array(repeating: 0x50, count: 100)) == Self.unzipFailure)
    }

    @Test func theLayoutTracksWhatEachPathBecame() throws {
        func entry(_ name: String, _ kind: PackageEntry.Kind) throws -> PackageEntry {
            let type: UInt32 = kind == .directory ? 0o040755 : kind == .symlink ? 0o120777 : 0o100644
            return try PackageEntry(name: name, record: .init(hostSystem: 3, flags: 0, method: 0, crc32: 0, compressedSize: 0,
                                                              uncompressedSize: 0, localHeaderOffset: 0,
                                                              externalAttributes: type << 16))
        }
        var layout = PackageLayout()
        try layout.admit(entry("a/b/c.py", .file))
        try layout.admit(entry("a/b/", .directory))
        try layout.admit(entry("a/link", .symlink))
        try layout.admit(entry("a/link", .file))
        #expect(throws: PackageEntryProblem.underFile("a/link/x", file: "a/link")) { try layout.admit(entry("a/link/x", .file)) }
        try layout.admit(entry("l", .symlink))
        #expect(throws: PackageEntryProblem.underSymlink("l/x/y", link: "l")) { try layout.admit(entry("l/x/y", .file)) }
        #expect(throws: PackageEntryProblem.replacesDirectory("a")) { try layout.admit(entry("a", .symlink)) }
        #expect(throws: PackageEntryProblem.replacesDirectory("l/")) { try layout.admit(entry("l/", .directory)) }
        // A refused entry leaves nothing behind: `m` was not made a directory by `m/n` under the file `m`.
        try layout.admit(entry("m", .file))
        #expect(throws: PackageEntryProblem.underFile("m/n/o", file: "m")) { try layout.admit(entry("m/n/o", .file)) }
        try layout.admit(entry("m", .symlink))
    }
}
