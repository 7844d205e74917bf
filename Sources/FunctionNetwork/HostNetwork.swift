import Foundation
import Logging
import Synchronization

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
    /// The bridge's lock, held from `prepare` to `tearDown`.
    let bridgeLock = BridgeLock()

    init(configuration: FunctionNetworkConfiguration) {
        self.configuration = configuration
        namespacePrefix = configuration.bridge + "-"
        vethPrefix = "swl" + Self.tag(configuration.bridge)
        // The bridge's name may hold `-`, which nft names do not: its hash keeps `a-b` and `a_b` apart.
        table = "swiftlet_" + String(configuration.bridge.map { $0.isLetter || $0.isNumber ? $0 : "_" }) + "_" + Self.tag(configuration.bridge)
    }

    /// Sets the host up for `configuration`; nil (with the reason) when functions must stay offline.
    public static func prepare(_ configuration: FunctionNetworkConfiguration, logger: Logger) -> (HostNetwork?, String) {
        let host = HostNetwork(configuration: configuration)
        guard configuration.mode == .nat else {
            // Still remove what a crashed run on this bridge left, when no live server holds it.
            if (try? host.lock()) != nil { host.tearDown() }
            return (nil, "none (--function-network none)")
        }
        do {
            try host.lock()
            host.removeLeftovers()
            try host.checkSubnetIsFree()
            try host.setUp()
            var description = "nat \(configuration.subnet) on bridge \(configuration.bridge)"
            if let blocking = host.forwardDropPolicies() {
                description += " (degraded: \(blocking) drops forwarded traffic by default; accept traffic from \(configuration.bridge) there)"
                logger.warning("functions' traffic may be dropped by another firewall table", metadata: ["table": "\(blocking)"])
            }
            return (host, description)
        } catch {
            logger.error("functions get NO network: the host network could not be set up", metadata: ["error": "\(error)"])
            return (nil, "none (setup failed: \(error))")
        }
    }

    /// Holds `/run/swiftlet/<bridge>.lock` until `tearDown` (or the process ends): two servers must not share a bridge.
    func lock() throws {
        try FileManager.default.createDirectory(atPath: "/run/swiftlet", withIntermediateDirectories: true)
        try bridgeLock.acquire("/run/swiftlet/\(configuration.bridge).lock", bridge: configuration.bridge)
    }

    func setUp() throws {
        let c = configuration
        // The firewall first: forwarding is turned on only once what it may forward is decided.
        try NetworkCommand.run(["nft", "-f", "-"], input: ruleset)
        let bridgeExists = FileManager.default.fileExists(atPath: "/sys/class/net/\(c.bridge)")
        var script = bridgeExists ? "" : "link add \(c.bridge) type bridge\n"
        script += "addr replace \(c.subnet.gateway)/\(c.subnet.prefixLength) dev \(c.bridge)\nlink set \(c.bridge) up\n"
        try NetworkCommand.run(["ip", "-batch", "-"], input: script)
        try "1".write(toFile: "/proc/sys/net/ipv4/ip_forward", atomically: false, encoding: .utf8)
    }

    /// Refuses a subnet another interface already routes (another server's bridge, a LAN): replies would go there.
    func checkSubnetIsFree() throws {
        let routes = try NetworkCommand.run(["ip", "-o", "-4", "route", "show", "to", "match", configuration.subnet.gateway])
        for line in routes.split(separator: "\n") where !line.hasPrefix("default") {
            let fields = line.split(separator: " ")
            guard let dev = fields.firstIndex(of: "dev").map({ fields[$0 + 1] }), dev != configuration.bridge else { continue }
            throw NetworkCommand.Failure(command: "subnet \(configuration.subnet)",
                                         output: "already routed to \(dev) (\(line)); choose another --function-subnet")
        }
    }

    /// Another table whose forward hook drops by default (Docker's, ufw's, firewalld's): it overrides our accept.
    func forwardDropPolicies() -> String? {
        guard let chains = try? NetworkCommand.run(["nft", "list", "chains"]) else { return nil }
        var table = ""
        for line in chains.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("table ") { table = String(text.dropFirst(6).dropLast(2)) }
            if text.contains("hook forward"), text.contains("policy drop"), !table.hasSuffix(" " + self.table) {
                return "table \(table)"
            }
        }
        return nil
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
        // Exactly ours: `<bridge>-<index>` (a bridge named `swiftlet0-x` has namespaces of its own).
        for name in namespaces where name.hasPrefix(namespacePrefix) && name.dropFirst(namespacePrefix.count).allSatisfy(\.isNumber) {
            script += "netns delete \(name)\n"
        }
        let links = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? []
        for link in links where link.hasPrefix(vethPrefix) && link.count <= 15 { script += "link delete \(link)\n" }
        if !script.isEmpty { _ = try? NetworkCommand.run(["ip", "-force", "-batch", "-"], input: script) }
    }

    /// Removes the table and the bridge (graceful shutdown; the namespaces are gone with their environments).
    public func tearDown() {
        removeLeftovers()
        _ = try? NetworkCommand.run(["nft", "delete", "table", "inet", table])
        _ = try? NetworkCommand.run(["ip", "link", "delete", configuration.bridge])
        bridgeLock.release()
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

/// An exclusive `flock` on a bridge's lock file, released on `release()` or when the process ends.
final class BridgeLock: Sendable {
    private let fd = Mutex<Int32>(-1)

    func acquire(_ path: String, bridge: String) throws {
        let file = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw NetworkCommand.Failure(command: "open \(path)", output: String(cString: strerror(errno))) }
        guard flock(file, LOCK_EX | LOCK_NB) == 0 else {
            close(file)
            throw NetworkCommand.Failure(command: "lock", output: "another server uses bridge \(bridge); give this one --bridge-name and --function-subnet of its own")
        }
        fd.withLock { $0 = file }
    }

    func release() {
        fd.withLock {
            if $0 >= 0 { close($0) }
            $0 = -1
        }
    }
}
