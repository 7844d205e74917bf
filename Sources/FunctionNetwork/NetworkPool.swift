import Dispatch
import Foundation
import Logging
import Synchronization

/// Network namespaces prepared ahead of need, so a cold start does not wait for `ip`: each has loopback up and a veth
/// (`eth0`) with its own address on Swiftlet's bridge, an isolated bridge port, and a default route through the
/// bridge. An environment joins one (the launcher `setns`es into it) and it is deleted when the environment ends;
/// a fresh one takes its place in the background.
public final class NetworkPool: Sendable {
    /// One prepared namespace, held by one environment.
    public struct Lease: Sendable, Equatable {
        public let name: String
        /// `/run/netns/<name>`, what the launcher joins.
        public let path: String
        public let address: String
        let index: Int
        let veth: String
    }

    private struct State {
        var ready: [Lease] = []
        /// Released indices, reused oldest first and only once the subnet's fresh ones are used up, so an address
        /// does not pass to a new environment while the old one's connections may still be tracked.
        var freeIndices: [Int] = []
        var nextIndex = 0
        var preparing = 0
        /// Indices held by environments: a lease is released once.
        var leased: Set<Int> = []
        var closed = false
    }

    public let host: HostNetwork
    /// How many namespaces are kept ready.
    let target: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "swiftlet.network-pool")
    private let logger: Logger

    public init(host: HostNetwork, target: Int = 4, logger: Logger) {
        self.host = host
        self.target = target
        self.logger = logger
    }

    /// Fills the pool (after `probe` succeeded).
    public func start() {
        refill()
    }

    /// A prepared namespace: a ready one, or one prepared now when the pool is empty (a burst of cold starts).
    public func acquire() async throws -> Lease {
        if let lease = state.withLock({ s -> Lease? in
            guard let lease = s.ready.popLast() else { return nil }
            s.leased.insert(lease.index)
            return lease
        }) {
            refill()
            return lease
        }
        let index = reserveIndex()
        // Prepared beside the refills, not behind them: a burst of cold starts does not queue on one another.
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { [self] in
                do {
                    let lease = try prepare(index)
                    state.withLock { _ = $0.leased.insert(index) }
                    continuation.resume(returning: lease)
                } catch {
                    state.withLock { $0.freeIndices.append(index) }
                    continuation.resume(throwing: error)
                }
                refill()
            }
        }
    }

    /// Deletes a namespace whose environment has ended (once: a second release of the same lease does nothing).
    public func release(_ lease: Lease) {
        guard state.withLock({ $0.leased.remove(lease.index) != nil }) else { return }
        queue.async { [self] in
            delete(lease)
            state.withLock { $0.freeIndices.append(lease.index) }
        }
    }

    /// Prepares one namespace now and deletes it: proves at startup that this host can (nil), or says why not.
    public func probe() -> String? {
        let index = reserveIndex()
        defer { state.withLock { $0.freeIndices.append(index) } }
        do {
            delete(try prepare(index))
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Deletes the ready namespaces (shutdown).
    public func drain() {
        let ready = state.withLock { s -> [Lease] in
            s.closed = true
            defer { s.ready.removeAll() }
            return s.ready
        }
        queue.sync { for lease in ready { delete(lease) } }
    }

    /// Tops the pool up to `target`, one namespace at a time on the pool's queue.
    private func refill() {
        let indices = state.withLock { s -> [Int] in
            guard !s.closed else { return [] }
            let missing = target - s.ready.count - s.preparing
            guard missing > 0 else { return [] }
            s.preparing += missing
            return (0..<missing).map { _ in takeIndex(&s) }
        }
        for index in indices {
            queue.async { [self] in
                do {
                    let lease = try prepare(index)
                    let keep = state.withLock { s -> Bool in
                        s.preparing -= 1
                        guard !s.closed else { return false }
                        s.ready.append(lease)
                        return true
                    }
                    if !keep { delete(lease) }
                } catch {
                    state.withLock { $0.preparing -= 1; $0.freeIndices.append(index) }
                    logger.error("preparing a function network namespace failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    private func reserveIndex() -> Int {
        state.withLock { takeIndex(&$0) }
    }

    private func takeIndex(_ s: inout State) -> Int {
        if s.nextIndex < host.configuration.subnet.capacity || s.freeIndices.isEmpty {
            defer { s.nextIndex += 1 }
            return s.nextIndex
        }
        return s.freeIndices.removeFirst()
    }

    /// Creates namespace `index`: two `ip -batch` runs (host side, then inside).
    func prepare(_ index: Int) throws -> Lease {
        let c = host.configuration
        guard index < c.subnet.capacity else {
            throw NetworkCommand.Failure(command: "allocate", output: "the subnet \(c.subnet) has no address left")
        }
        let name = host.namespacePrefix + String(index)
        let veth = host.vethPrefix + String(index, radix: 36)
        let address = c.subnet.host(index)
        let lease = Lease(name: name, path: "/run/netns/\(name)", address: address, index: index, veth: veth)
        // Whatever a failed attempt may have left under these names goes first.
        delete(lease)
        do {
            try NetworkCommand.run(["ip", "-batch", "-"], input: """
                netns add \(name)
                link add \(veth) type veth peer name eth0 netns \(name)
                link set \(veth) master \(c.bridge)
                link set dev \(veth) type bridge_slave isolated on
                link set \(veth) up

                """)
            try NetworkCommand.run(["ip", "-n", name, "-batch", "-"], input: """
                link set lo up
                addr add \(address)/\(c.subnet.prefixLength) dev eth0
                link set eth0 up
                route add default via \(c.subnet.gateway)

                """)
        } catch {
            delete(lease)
            throw error
        }
        return lease
    }

    private func delete(_ lease: Lease) {
        let fm = FileManager.default
        var script = ""
        if fm.fileExists(atPath: "/sys/class/net/\(lease.veth)") { script += "link delete \(lease.veth)\n" }
        if fm.fileExists(atPath: lease.path) { script += "netns delete \(lease.name)\n" }
        if !script.isEmpty { _ = try? NetworkCommand.run(["ip", "-force", "-batch", "-"], input: script) }
    }
}
