import Foundation
import Testing
@testable import Invoker

/// The resolver configuration a sandbox gets: the host's when its name servers are reachable from an environment,
/// the stub resolver's upstream servers when the host's point at its own loopback.
@Suite struct ResolverBindTests {
    static func files(_ contents: [String: String], links: [String: String] = [:]) throws -> String {
        let dir = NSTemporaryDirectory() + "resolver-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/run", withIntermediateDirectories: true)
        for (path, text) in contents { try text.write(toFile: dir + path, atomically: true, encoding: .utf8) }
        for (link, target) in links { try FileManager.default.createSymbolicLink(atPath: dir + link, withDestinationPath: dir + target) }
        return dir
    }

    @Test func aPlainFileWithReachableServersNeedsNothing() throws {
        let dir = try Self.files(["/etc/resolv.conf": "nameserver 10.0.0.53\nsearch example.org\n"])
        #expect(EnvironmentHost.resolverBind(conf: dir + "/etc/resolv.conf", upstream: dir + "/run/upstream.conf") == nil)
    }

    @Test func aLoopbackStubIsReplacedByItsUpstreamServers() throws {
        let dir = try Self.files(["/run/stub.conf": "nameserver 127.0.0.53\noptions edns0\n",
                                  "/run/upstream.conf": "nameserver 192.0.2.53\n"],
                                 links: ["/etc/resolv.conf": "/run/stub.conf"])
        let bind = try #require(EnvironmentHost.resolverBind(conf: dir + "/etc/resolv.conf", upstream: dir + "/run/upstream.conf"))
        #expect(bind.source == dir + "/run/upstream.conf")
        #expect(bind.destination == dir + "/run/stub.conf")
    }

    @Test func aLinkOutOfEtcToReachableServersIsBoundWhereItPoints() throws {
        let dir = try Self.files(["/run/resolv.conf": "nameserver 192.0.2.1\n"], links: ["/etc/resolv.conf": "/run/resolv.conf"])
        let bind = try #require(EnvironmentHost.resolverBind(conf: dir + "/etc/resolv.conf", upstream: dir + "/run/none"))
        #expect(bind.source == dir + "/run/resolv.conf" && bind.destination == dir + "/run/resolv.conf")
    }

    @Test func onlyLoopbackServersWithoutUpstreamGiveNothing() throws {
        let dir = try Self.files(["/etc/resolv.conf": "nameserver 127.0.0.1\nnameserver ::1\n"])
        #expect(EnvironmentHost.resolverBind(conf: dir + "/etc/resolv.conf", upstream: dir + "/run/none") == nil)
    }
}
