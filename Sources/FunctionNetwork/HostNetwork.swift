import Foundation
import Logging

/// The host side of functions' network: a bridge of Swiftlet's own with the subnet's first address, forwarding,
/// and an nftables table that masquerades environments' traffic to other networks while dropping what they send to
/// the host itself (any of its addresses) and to each other (bridge ports are isolated). One server owns a bridge
/// (a lock file says which); what a dead owner left (namespaces, veths, the table) is removed when the next starts.
public struct HostNetwork: Sendable {
    public let configuration: FunctionNetworkConfiguration
    /// Prefix of this bridge's namespaces in `/run/netns` and of its veths.
    let namespacePrefix: String
    let vethPrefix: String
    let table: String

    init(configuration: FunctionNetworkConfiguration) {
        self.configuration = configuration
        namespacePrefix = configuration.bridge + "-"
        vethPrefix = "swl" + Self.tag(configuration.bridge)
        table = "swiftlet_" + String(configuration.bridge.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Sets the host up for `configuration`; nil (with the reason) when functions must stay offline.
    public static func prepare(_ configuration: FunctionNetworkConfiguration, logger: Logger) -> (HostNetwork?, String) {
        guard configuration.mode == .nat else { return (nil, "none (--function-network none)") }
        let host = HostNetwork(configuration: configuration)
        do {
            try host.lock()
            host.removeLeftovers()
            try host.setUp()
            return (host, "nat \(configuration.subnet) on bridge \(configuration.bridge)")
        } catch {
            logger.error("functions get NO network: the host network could not be set up", metadata: ["error": "\(error)"])
            return (nil, "none (setup failed: \(error))")
        }
    }

    /// Holds `/run/swiftlet/<bridge>.lock` for the life of this process: two servers must not share a bridge.
    func lock() throws {
        try FileManager.default.createDirectory(atPath: "/run/swiftlet", withIntermediateDirectories: true)
        let fd = open("/run/swiftlet/\(configuration.bridge).lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw NetworkCommand.Failure(command: "open lock", output: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw NetworkCommand.Failure(command: "lock", output: "another server uses bridge \(configuration.bridge); give this one --bridge-name and --function-subnet of its own")
        }
        // Kept open (and locked) until the process exits.
    }

    func setUp() throws {
        let c = configuration
        try "1".write(toFile: "/proc/sys/net/ipv4/ip_forward", atomically: false, encoding: .utf8)
        let bridgeExists = FileManager.default.fileExists(atPath: "/sys/class/net/\(c.bridge)")
        var script = bridgeExists ? "" : "link add \(c.bridge) type bridge\n"
        script += "addr replace \(c.subnet.gateway)/\(c.subnet.prefixLength) dev \(c.bridge)\nlink set \(c.bridge) up\n"
        try NetworkCommand.run(["ip", "-batch", "-"], input: script)
        try NetworkCommand.run(["nft", "-f", "-"], input: ruleset)
    }

    /// The nftables table: environments may reach everything but the host and each other.
    var ruleset: String {
        let c = configuration
        return """
        table inet \(table)
        delete table inet \(table)
        table inet \(table) {
            chain input {
                type filter hook input priority -10; policy accept;
                iifname "\(c.bridge)" ct state established,related accept
                iifname "\(c.bridge)" drop
            }
            chain forward {
                type filter hook forward priority -10; policy accept;
                iifname "\(c.bridge)" oifname "\(c.bridge)" drop
                oifname "\(c.bridge)" ct state established,related accept
                oifname "\(c.bridge)" drop
                iifname "\(c.bridge)" accept
            }
            chain postrouting {
                type nat hook postrouting priority 100; policy accept;
                ip saddr \(c.subnet) oifname != "\(c.bridge)" masquerade
            }
        }

        """
    }

    /// Deletes this bridge's namespaces and veths that a dead server left (we hold the lock: none is in use).
    func removeLeftovers() {
        let namespaces = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        var script = ""
        for name in namespaces where name.hasPrefix(namespacePrefix) { script += "netns delete \(name)\n" }
        let links = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? []
        for link in links where link.hasPrefix(vethPrefix) { script += "link delete \(link)\n" }
        if !script.isEmpty { _ = try? NetworkCommand.run(["ip", "-force", "-batch", "-"], input: script) }
    }

    /// Removes the table and the bridge (graceful shutdown; the namespaces are gone with their environments).
    public func tearDown() {
        removeLeftovers()
        _ = try? NetworkCommand.run(["nft", "delete", "table", "inet", table])
        _ = try? NetworkCommand.run(["ip", "link", "delete", configuration.bridge])
    }

    /// Four hex digits of the bridge's name, so veths of servers on different bridges never share a name.
    static func tag(_ name: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String(hash & 0xFFFF, radix: 16).leftPadded(to: 4)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
