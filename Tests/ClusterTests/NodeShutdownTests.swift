import Cluster
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The registry and its drain marker in a service group, shut down gracefully as the server is.
@Suite struct NodeShutdownTests {
    @Test func aGracefulShutdownDrainsThenStopsTheNode() async throws {
        let store = MemoryNodeStore()
        let logger = Logger(label: "test")
        let registry = NodeRegistry(store: store, configuration: .init(nodeId: "node-a", version: "1", heartbeatInterval: .milliseconds(10)),
                                    address: { "http://a:8900" }, load: { NodeLoad(capacity: 8) }, logger: logger)
        let states = StateLog()
        // Stands for the server's parts between the two: it records what the registry says while they shut down.
        let work = ShutdownProbe(store: store, log: states)
        let group = ServiceGroup(configuration: .init(services: [.init(service: registry), .init(service: work),
                                                                 .init(service: NodeDrainOnShutdown(registry: registry, logger: logger))],
                                                      logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(10)
            while await store.heartbeats < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // Draining while the work shut down, stopped at the end.
        #expect(await states.states == [.draining])
        #expect(await store.nodes["node-a"]?.state == .stopped)
    }
}

actor StateLog {
    private(set) var states: [NodeState?] = []
    func append(_ state: NodeState?) { states.append(state) }
}

/// Records the node's stored state when its graceful shutdown comes.
struct ShutdownProbe: Service {
    let store: MemoryNodeStore
    let log: StateLog

    func run() async throws {
        try? await gracefulShutdown()
        await log.append(await store.nodes["node-a"]?.state)
    }
}
