@testable import Cluster
import Foundation
import Logging
import Synchronization
import Testing

@Suite struct NodeRegistryTests {
    /// A clock the test moves.
    final class TestClock: Sendable {
        private let seconds = Mutex<Double>(1_700_000_000)
        var now: Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    /// What the server reports, and what the registry told it.
    final class Server: Sendable {
        let load = Mutex(NodeLoad(capacity: 64))
        let changes = Mutex<[NodeState]>([])
    }

    static func registry(_ store: MemoryNodeStore, clock: TestClock, server: Server) -> NodeRegistry {
        NodeRegistry(store: store, configuration: .init(nodeId: "node-a", version: "1.0.0", heartbeatInterval: .seconds(2)),
                     address: { "http://10.0.0.5:8900" }, load: { server.load.withLock { $0 } },
                     onStateChange: { state in server.changes.withLock { $0.append(state) } },
                     logger: Logger(label: "test"), clock: { clock.now })
    }

    @Test func registersThenBeatsWithTheServersLoad() async throws {
        let store = MemoryNodeStore(), clock = TestClock(), server = Server()
        let registry = Self.registry(store, clock: clock, server: server)
        #expect(registry.state == nil)
        #expect(await registry.register())
        let registered = try #require(await store.nodes["node-a"])
        #expect(registered == NodeRecord(id: "node-a", address: "http://10.0.0.5:8900", state: .serving, version: "1.0.0",
                                         startedAt: clock.now, heartbeatAt: clock.now, heartbeatInterval: .seconds(2),
                                         load: NodeLoad(capacity: 64)))
        #expect(registry.state == .serving)

        clock.advance(2)
        server.load.withLock { $0 = NodeLoad(capacity: 64, running: 3, environments: 5, idleEnvironments: 2) }
        await registry.beat()
        let beaten = try #require(await store.nodes["node-a"])
        #expect(beaten.heartbeatAt == clock.now)
        #expect(beaten.startedAt == registered.startedAt)
        #expect(beaten.load == NodeLoad(capacity: 64, running: 3, environments: 5, idleEnvironments: 2))
        #expect(server.changes.withLock { $0 }.isEmpty)
    }

    @Test func aHeartbeatNoticesAnOperatorsDrainOnce() async throws {
        let store = MemoryNodeStore(), clock = TestClock(), server = Server()
        let registry = Self.registry(store, clock: clock, server: server)
        await registry.register()
        await store.setStateBehindTheNodesBack("node-a", .draining)
        await registry.beat()
        await registry.beat()
        #expect(server.changes.withLock { $0 } == [.draining])
        #expect(registry.state == .draining)
        // Heartbeats keep the state the operator set.
        #expect(await store.nodes["node-a"]?.state == .draining)
    }

    @Test func aRemovedRegistrationIsWrittenAgainWithTheSameStart() async throws {
        let store = MemoryNodeStore(), clock = TestClock(), server = Server()
        let registry = Self.registry(store, clock: clock, server: server)
        await registry.register()
        let startedAt = clock.now
        await store.remove("node-a")
        clock.advance(10)
        await registry.beat()
        let node = try #require(await store.nodes["node-a"])
        #expect(node.startedAt == startedAt)
        #expect(node.heartbeatAt == clock.now)
        #expect(node.state == .serving)
    }

    @Test func stoppingMarksTheNodeStoppedAndDrainingMarksItDraining() async throws {
        let store = MemoryNodeStore(), clock = TestClock(), server = Server()
        let registry = Self.registry(store, clock: clock, server: server)
        await registry.register()
        try await registry.drain()
        #expect(await store.nodes["node-a"]?.state == .draining)
        #expect(registry.state == .draining)
        await registry.stop()
        #expect(await store.nodes["node-a"]?.state == .stopped)
        // The node's own changes are not reported back to it.
        await registry.beat()
        #expect(server.changes.withLock { $0 }.isEmpty)
    }

    @Test func aStoreThatFailsLeavesTheNodeUnregisteredUntilItAnswers() async throws {
        let store = MemoryNodeStore(), clock = TestClock(), server = Server()
        let registry = Self.registry(store, clock: clock, server: server)
        await store.setFailing(true)
        #expect(await registry.register() == false)
        #expect(registry.state == nil)
        // A node that never registered has nothing to mark stopped.
        await registry.stop()
        await store.setFailing(false)
        #expect(await store.nodes.isEmpty)
        #expect(await registry.register())
        // A failed heartbeat changes nothing.
        await store.setFailing(true)
        await registry.beat()
        #expect(registry.state == .serving)
    }

    @Test func runningRegistersAndBeatsUntilCancelled() async throws {
        let store = MemoryNodeStore(), server = Server()
        let registry = NodeRegistry(store: store, configuration: .init(nodeId: "node-a", version: "1", heartbeatInterval: .milliseconds(10)),
                                    address: { "http://a:8900" }, load: { server.load.withLock { $0 } }, logger: Logger(label: "test"))
        let task = Task { try await registry.run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while await store.heartbeats < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        try await task.value
        #expect(await store.heartbeats >= 3)
        // Cancelled is not a graceful shutdown: the node is left as it was, and will be taken for dead.
        #expect(await store.nodes["node-a"]?.state == .serving)
    }
}
